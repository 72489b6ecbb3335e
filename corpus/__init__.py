"""Articles in, paragraphs out: reading files and splitting them into citable paragraphs."""

from corpus.loaders import LoadProblem, LoadResult, bundled_articles_dir, load_articles
from corpus.paragraphs import split_paragraphs
from corpus.records import Article, Paragraph

__all__ = [
    "Article",
    "LoadProblem",
    "LoadResult",
    "Paragraph",
    "bundled_articles_dir",
    "load_articles",
    "split_paragraphs",
]
