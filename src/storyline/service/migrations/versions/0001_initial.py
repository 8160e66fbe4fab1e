"""Initial schema: articles, stories, clustering features and full-text search.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.Column("outlet_count", sa.Integer, nullable=False),
        sa.Column("conflict_count", sa.Integer, nullable=False),
        sa.Column("quote_count", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_stories_updated_at", "stories", ["updated_at"])
    op.create_table(
        "articles",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(200), nullable=False, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.String(300), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("analysis", sa.Text, nullable=False),
        sa.Column("story_id", sa.String(40), sa.ForeignKey("stories.id"), nullable=False),
        sa.Column("ingested_at", TZ, nullable=False),
    )
    op.create_index("ix_articles_url", "articles", ["url"])
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_table(
        "story_terms",
        sa.Column("story_id", sa.String(40), sa.ForeignKey("stories.id"), primary_key=True),
        sa.Column("term", sa.String(200), primary_key=True),
        sa.Column("weight", sa.Float, nullable=False),
    )
    op.create_index("ix_story_terms_term", "story_terms", ["term"])
    op.create_table(
        "term_counts",
        sa.Column("term", sa.String(200), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE TABLE search_docs (
                id bigserial PRIMARY KEY,
                body text NOT NULL,
                kind varchar(10) NOT NULL,
                article_id varchar(200) NOT NULL,
                story_id varchar(40) NOT NULL,
                ref varchar(200) NOT NULL,
                tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED
            )""")
        op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (tsv)")
        op.execute("CREATE INDEX ix_search_docs_article ON search_docs (article_id)")
    else:
        # FTS5 with the porter stemmer: "interfering" finds "interference", as tsvector does.
        op.execute("CREATE VIRTUAL TABLE search_docs USING fts5("
                   "body, kind UNINDEXED, article_id UNINDEXED, story_id UNINDEXED, ref UNINDEXED, "
                   "tokenize='porter unicode61')")


def downgrade() -> None:
    op.execute("DROP TABLE search_docs")
    op.drop_table("term_counts")
    op.drop_table("story_terms")
    op.drop_table("articles")
    op.drop_table("stories")
