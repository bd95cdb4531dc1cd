"""lead contact and next action

Leads keep what deals keep for acting on them: the last contact logged (`/lead note`) and
the next action with its due date (`/lead next`). Existing leads have neither.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

import storage.models


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_contact_at', storage.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('next_action', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('next_action_due', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('next_action_due')
        batch_op.drop_column('next_action')
        batch_op.drop_column('last_contact_at')
