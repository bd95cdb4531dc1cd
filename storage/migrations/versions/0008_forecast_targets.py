"""forecast targets and commit stage

Sales targets per team (owner '') or owner, monthly or quarterly (`targets`), and the
workspace's commit stage for the forecast (`workspaces.commit_stage_id`, NULL: the last open
stage).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 09:10:00.000000
"""
from alembic import op
import sqlalchemy as sa

import storage.models


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'targets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('owner', sa.String(length=32), nullable=False),
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column('set_by', sa.String(length=32), nullable=True),
        sa.Column('set_at', storage.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'],
                                name=op.f('fk_targets_team_id_workspaces')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
        sa.UniqueConstraint('team_id', 'owner', 'period',
                            name=op.f('uq_targets_team_id_owner_period')),
    )
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commit_stage_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_column('commit_stage_id')
    op.drop_table('targets')
