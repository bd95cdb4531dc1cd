"""home tabs and index-only stage totals

`home_tabs` records who has opened the Home tab (only they get it refreshed after a change);
an index on the deals' (team, stage, value) makes the stage totals an index-only scan.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 06:44:58.808969
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('home_tabs',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('opened_at', storage.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'user_id', name=op.f('pk_home_tabs'))
    )
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index('ix_deals_team_stage_value', ['team_id', 'stage_id', 'value'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_team_stage_value')
    op.drop_table('home_tabs')
