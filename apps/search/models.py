"""The search index: one row per searchable thing, written only by indexing.py."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    source = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    owner_id = models.BigIntegerField()
    title = models.CharField(max_length=300)
    heading = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    category = models.CharField(max_length=60, blank=True)
    department_id = models.IntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, blank=True)
    date = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    title_tsv = SearchVectorField()
    heading_tsv = SearchVectorField()
    tsv = SearchVectorField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [
            models.Index(fields=["source", "owner_id"], name="search_doc_owner"),
            # No pending list (fastupdate): every search would scan it whole until a vacuum;
            # writes are a few hundred rows at a publish, reads are every keystroke.
            GinIndex(fields=["tsv"], name="search_doc_tsv", fastupdate=False),
            GinIndex(fields=["title_tsv"], name="search_doc_title_tsv", fastupdate=False),
            GinIndex(fields=["heading_tsv"], name="search_doc_heading_tsv", fastupdate=False),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.title}"
