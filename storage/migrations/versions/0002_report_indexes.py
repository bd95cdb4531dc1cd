"""report indexes: attention lists per stage, wins and losses in a window

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 07:00:00.000000
"""
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_team_stage')
        batch_op.create_index('ix_deals_team_stage_activity',
                              ['team_id', 'stage_id', 'last_activity_at'], unique=False)
        batch_op.create_index('ix_deals_team_stage_close',
                              ['team_id', 'stage_id', 'expected_close'], unique=False)
    with op.batch_alter_table('deal_events', schema=None) as batch_op:
        batch_op.create_index('ix_deal_events_team_to_stage_at',
                              ['team_id', 'to_stage_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deal_events', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_events_team_to_stage_at')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_team_stage_close')
        batch_op.drop_index('ix_deals_team_stage_activity')
        batch_op.create_index('ix_deals_team_stage', ['team_id', 'stage_id'], unique=False)
