"""lead notes from slack messages

A note logged with the Add to lead message shortcut keeps the message's link and author on
its event (`lead_events.source_url`, `source_author`), as Add to deal does on deal_events
(0007); every other event leaves them NULL.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lead_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_url', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('source_author', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('lead_events', schema=None) as batch_op:
        batch_op.drop_column('source_author')
        batch_op.drop_column('source_url')
