"""report indexes: the deals active since a time; stage totals and changes read from indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 07:20:00.000000
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index('ix_deals_team_activity', ['team_id', 'last_activity_at'],
                              unique=False)
        batch_op.drop_index('ix_deals_team_stage_activity')
        batch_op.create_index('ix_deals_team_stage_activity',
                              ['team_id', 'stage_id', 'last_activity_at'], unique=False,
                              postgresql_include=['value', 'probability', 'expected_close',
                                                  'created_at'])
    with op.batch_alter_table('deal_events', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_events_team_at')
        batch_op.create_index('ix_deal_events_team_at', ['team_id', 'at'], unique=False,
                              postgresql_include=['deal_id', 'kind', 'field'])


def downgrade() -> None:
    with op.batch_alter_table('deal_events', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_events_team_at')
        batch_op.create_index('ix_deal_events_team_at', ['team_id', 'at'], unique=False)
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_team_stage_activity')
        batch_op.create_index('ix_deals_team_stage_activity',
                              ['team_id', 'stage_id', 'last_activity_at'], unique=False)
        batch_op.drop_index('ix_deals_team_activity')
