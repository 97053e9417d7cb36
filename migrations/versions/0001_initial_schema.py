"""Create the whole catalogue: papers, authors, taxonomy, sources, accounts, sessions, tokens and ratings.

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 20:48:09.099336
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('authors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authors')),
    sa.UniqueConstraint('name_key', name=op.f('uq_authors_name_key'))
    )
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('name_zh', sa.String(length=120), nullable=True),
    sa.Column('description', sa.String(length=2000), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('paper_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('paper_count >= 0', name=op.f('ck_categories_paper_count_non_negative')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_categories_not_own_parent')),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('slug', name=op.f('uq_categories_slug'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categories_parent_id'), ['parent_id'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('origin', sa.String(length=2000), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=True),
    sa.Column('format', sa.String(length=80), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('repaired_from', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_sources_name'))
    )
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('paper_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('paper_count >= 0', name=op.f('ck_tags_paper_count_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('slug', name=op.f('uq_tags_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('username_key', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('member', 'editor', 'admin')", name=op.f('ck_users_role_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username')),
    sa.UniqueConstraint('username_key', name=op.f('uq_users_username_key'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_api_tokens_user_id', ['user_id'], unique=False)

    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_import_runs_imported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_import_runs_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs'))
    )
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.create_index('ix_import_runs_source_id', ['source_id'], unique=False)

    op.create_table('papers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('title_key', sa.String(length=500), nullable=False),
    sa.Column('short_name', sa.String(length=80), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('pdf_url', sa.String(length=2000), nullable=True),
    sa.Column('code_url', sa.String(length=2000), nullable=True),
    sa.Column('arxiv_id', sa.String(length=40), nullable=True),
    sa.Column('doi', sa.String(length=255), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('published', sa.String(length=7), nullable=True),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('importance', sa.Integer(), nullable=True),
    sa.Column('rating_avg', sa.Float(), nullable=True),
    sa.Column('rating_count', sa.Integer(), nullable=False),
    sa.Column('is_curated', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('importance IS NULL OR (importance >= 0 AND importance <= 5)', name=op.f('ck_papers_importance_range')),
    sa.CheckConstraint('rating_avg IS NULL OR (rating_avg >= 1 AND rating_avg <= 5)', name=op.f('ck_papers_rating_avg_range')),
    sa.CheckConstraint('rating_count >= 0', name=op.f('ck_papers_rating_count_non_negative')),
    sa.CheckConstraint('year IS NULL OR (year >= 1900 AND year <= 2100)', name=op.f('ck_papers_year_range')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_papers_added_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_papers')),
    sa.UniqueConstraint('arxiv_id', name=op.f('uq_papers_arxiv_id')),
    sa.UniqueConstraint('doi', name=op.f('uq_papers_doi')),
    sa.UniqueConstraint('slug', name=op.f('uq_papers_slug'))
    )
    with op.batch_alter_table('papers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_papers_added_by_id'), ['added_by_id'], unique=False)
        batch_op.create_index('ix_papers_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_papers_importance_id', ['importance', 'id'], unique=False)
        batch_op.create_index('ix_papers_rating_avg_id', ['rating_avg', 'id'], unique=False)
        batch_op.create_index('ix_papers_title_key_id', ['title_key', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_papers_venue'), ['venue'], unique=False)
        batch_op.create_index('ix_papers_year_id', ['year', 'id'], unique=False)

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('id_hash', name=op.f('uq_user_sessions_id_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_user_sessions_user_id', ['user_id'], unique=False)

    op.create_table('paper_authors',
    sa.Column('paper_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name=op.f('fk_paper_authors_author_id_authors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paper_id'], ['papers.id'], name=op.f('fk_paper_authors_paper_id_papers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('paper_id', 'position', name=op.f('pk_paper_authors')),
    sa.UniqueConstraint('paper_id', 'author_id', name=op.f('uq_paper_authors_paper_id_author_id'))
    )
    with op.batch_alter_table('paper_authors', schema=None) as batch_op:
        batch_op.create_index('ix_paper_authors_author_id', ['author_id'], unique=False)

    op.create_table('paper_categories',
    sa.Column('paper_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_paper_categories_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paper_id'], ['papers.id'], name=op.f('fk_paper_categories_paper_id_papers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('paper_id', 'category_id', name=op.f('pk_paper_categories'))
    )
    with op.batch_alter_table('paper_categories', schema=None) as batch_op:
        batch_op.create_index('ix_paper_categories_category_id_paper_id', ['category_id', 'paper_id'], unique=False)

    op.create_table('paper_tags',
    sa.Column('paper_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['papers.id'], name=op.f('fk_paper_tags_paper_id_papers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_paper_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('paper_id', 'tag_id', name=op.f('pk_paper_tags'))
    )
    with op.batch_alter_table('paper_tags', schema=None) as batch_op:
        batch_op.create_index('ix_paper_tags_tag_id_paper_id', ['tag_id', 'paper_id'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('paper_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score >= 1 AND score <= 5', name=op.f('ck_ratings_score_range')),
    sa.ForeignKeyConstraint(['paper_id'], ['papers.id'], name=op.f('fk_ratings_paper_id_papers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ratings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('user_id', 'paper_id', name=op.f('uq_ratings_user_id_paper_id'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('ix_ratings_paper_id_updated_at', ['paper_id', 'updated_at'], unique=False)

    op.create_table('source_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('paper_id', sa.Integer(), nullable=True),
    sa.Column('entry_key', sa.String(length=300), nullable=False),
    sa.Column('section_path', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section_position', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('list_number', sa.String(length=20), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('stars', sa.Integer(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('raw_markdown', sa.Text(), nullable=False),
    sa.Column('raw_original', sa.Text(), nullable=True),
    sa.Column('uncertain_chars', sa.JSON(), nullable=True),
    sa.Column('is_present', sa.Boolean(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('stars IS NULL OR (stars >= 0 AND stars <= 5)', name=op.f('ck_source_entries_stars_range')),
    sa.ForeignKeyConstraint(['paper_id'], ['papers.id'], name=op.f('fk_source_entries_paper_id_papers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_source_entries_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_entries')),
    sa.UniqueConstraint('source_id', 'entry_key', name=op.f('uq_source_entries_source_id_entry_key'))
    )
    with op.batch_alter_table('source_entries', schema=None) as batch_op:
        batch_op.create_index('ix_source_entries_paper_id', ['paper_id'], unique=False)
        batch_op.create_index('ix_source_entries_source_id_position', ['source_id', 'position'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('source_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_source_entries_source_id_position')
        batch_op.drop_index('ix_source_entries_paper_id')

    op.drop_table('source_entries')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_paper_id_updated_at')

    op.drop_table('ratings')
    with op.batch_alter_table('paper_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_paper_tags_tag_id_paper_id')

    op.drop_table('paper_tags')
    with op.batch_alter_table('paper_categories', schema=None) as batch_op:
        batch_op.drop_index('ix_paper_categories_category_id_paper_id')

    op.drop_table('paper_categories')
    with op.batch_alter_table('paper_authors', schema=None) as batch_op:
        batch_op.drop_index('ix_paper_authors_author_id')

    op.drop_table('paper_authors')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_user_sessions_user_id')

    op.drop_table('user_sessions')
    with op.batch_alter_table('papers', schema=None) as batch_op:
        batch_op.drop_index('ix_papers_year_id')
        batch_op.drop_index(batch_op.f('ix_papers_venue'))
        batch_op.drop_index('ix_papers_title_key_id')
        batch_op.drop_index('ix_papers_rating_avg_id')
        batch_op.drop_index('ix_papers_importance_id')
        batch_op.drop_index('ix_papers_created_at_id')
        batch_op.drop_index(batch_op.f('ix_papers_added_by_id'))

    op.drop_table('papers')
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_import_runs_source_id')

    op.drop_table('import_runs')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_api_tokens_user_id')

    op.drop_table('api_tokens')
    op.drop_table('users')
    op.drop_table('tags')
    op.drop_table('sources')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_categories_parent_id'))

    op.drop_table('categories')
    op.drop_table('authors')

