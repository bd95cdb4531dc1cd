"""nudges

Each person's daily nudge setting, the ledger that sends it at most once a day, snoozed
deals and leads, and the workspace's switch for win celebrations.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 09:10:00.000000
"""
from alembic import op
import sqlalchemy as sa

from storage.models import UTCDateTime


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('celebrate_wins', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    op.create_table(
        'nudge_settings',
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('at_time', sa.String(length=5), nullable=False),
        sa.Column('every_day', sa.Boolean(), nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=True),
        sa.Column('timezone_checked_at', UTCDateTime(), nullable=True),
        sa.Column('gone_reason', sa.String(length=200), nullable=True),
        sa.Column('set_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('team_id', 'user_id', name=op.f('pk_nudge_settings')),
    )
    op.create_table(
        'nudge_ledger',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('period', sa.String(length=16), nullable=False),
        sa.Column('due_at', UTCDateTime(), nullable=False),
        sa.Column('claimed_at', UTCDateTime(), nullable=False),
        sa.Column('posted_at', UTCDateTime(), nullable=True),
        sa.Column('outcome', sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_nudge_ledger')),
        sa.UniqueConstraint('team_id', 'user_id', 'period',
                            name=op.f('uq_nudge_ledger_team_id_user_id_period')),
    )
    op.create_table(
        'nudge_snoozes',
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('until', UTCDateTime(), nullable=False),
        sa.Column('snoozed_by', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('team_id', 'kind', 'number', name=op.f('pk_nudge_snoozes')),
    )
    op.create_index('ix_nudge_snoozes_until', 'nudge_snoozes', ['until'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_nudge_snoozes_until', table_name='nudge_snoozes')
    op.drop_table('nudge_snoozes')
    op.drop_table('nudge_ledger')
    op.drop_table('nudge_settings')
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_column('celebrate_wins')
