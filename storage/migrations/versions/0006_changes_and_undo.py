"""changes and undo: events grouped by the change a person made; void events and records

A `changes` row is one command, click or modal submission; deal and lead events carry its id
(NULL for imports and the system). Undoing a change marks its events void (`voided_at`,
`voided_by`) and, when it created a deal or lead, that record (`voided_at`). The reports'
covering indexes carry `voided_at` on PostgreSQL, so leaving void rows out keeps them
index-only.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

EVENTS = ('deal_events', 'lead_events')


def upgrade() -> None:
    op.create_table('changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=32), nullable=False),
    sa.Column('at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('records', sa.JSON(), nullable=False),
    sa.Column('voided_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_changes'))
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index('ix_changes_team_actor', ['team_id', 'actor', 'id'], unique=False)

    for table in ('deals', 'leads'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('voided_at', storage.models.UTCDateTime(),
                                          nullable=True))
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_team_stage_activity')
        batch_op.create_index('ix_deals_team_stage_activity',
                              ['team_id', 'stage_id', 'last_activity_at'], unique=False,
                              postgresql_include=['value', 'probability', 'expected_close',
                                                  'created_at', 'voided_at'])

    for table in EVENTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('change_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('voided_at', storage.models.UTCDateTime(),
                                          nullable=True))
            batch_op.add_column(sa.Column('voided_by', sa.String(length=32), nullable=True))
            batch_op.create_foreign_key(op.f(f'fk_{table}_change_id_changes'), 'changes',
                                        ['change_id'], ['id'])
            batch_op.create_index(f'ix_{table}_change', ['change_id'], unique=False)
    with op.batch_alter_table('deal_events', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_events_team_at')
        batch_op.create_index('ix_deal_events_team_at', ['team_id', 'at'], unique=False,
                              postgresql_include=['deal_id', 'kind', 'field', 'voided_at'])


def downgrade() -> None:
    with op.batch_alter_table('deal_events', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_events_team_at')
        batch_op.create_index('ix_deal_events_team_at', ['team_id', 'at'], unique=False,
                              postgresql_include=['deal_id', 'kind', 'field'])
    for table in EVENTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_change')
            batch_op.drop_constraint(op.f(f'fk_{table}_change_id_changes'), type_='foreignkey')
            batch_op.drop_column('voided_by')
            batch_op.drop_column('voided_at')
            batch_op.drop_column('change_id')

    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_team_stage_activity')
        batch_op.create_index('ix_deals_team_stage_activity',
                              ['team_id', 'stage_id', 'last_activity_at'], unique=False,
                              postgresql_include=['value', 'probability', 'expected_close',
                                                  'created_at'])
    for table in ('deals', 'leads'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('voided_at')

    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.drop_index('ix_changes_team_actor')
    op.drop_table('changes')
