"""Word templates installed by the secretariat, and the template each record was filled from

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('installed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('installed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['installed_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('form', 'version', name='uq_form_templates_version')
    )
    with op.batch_alter_table('documents') as batch:
        batch.add_column(sa.Column('template_version', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('template_sha256', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('documents') as batch:
        batch.drop_column('template_sha256')
        batch.drop_column('template_version')
    op.drop_table('form_templates')
