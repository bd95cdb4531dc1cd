"""enterprise teams

The Enterprise Grid organisation of each workspace whose requests named one
(`enterprise_teams`), so that the scheduler and the CLI find a Grid workspace's bot token by
enterprise and team, as Bolt's authorize does.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

import storage.models


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'enterprise_teams',
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('enterprise_id', sa.String(length=32), nullable=False),
        sa.Column('seen_at', storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('team_id', name=op.f('pk_enterprise_teams')),
    )
    with op.batch_alter_table('enterprise_teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_teams_enterprise_id'),
                              ['enterprise_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('enterprise_teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_teams_enterprise_id'))
    op.drop_table('enterprise_teams')
