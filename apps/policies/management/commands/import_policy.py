"""Import a regulation from a .txt or .docx file.

    manage.py import_policy FILE --dry-run --json   # parse only, print the tree, no database
    manage.py import_policy FILE [--code C] [--owner DEPT] [--category CAT]   # save as a draft

Bad input (empty, binary, unknown encoding, a .docx that is not one) exits non-zero
with one line on stderr."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.policies.parsing import ParseInputError, parse_text, read_upload, to_json


def node_json(node: dict) -> dict:
    return {
        "label": node["label"],
        "heading": node["heading"],
        "text": node["text"],
        "children": [node_json(c) for c in node["children"]],
    }


class Command(BaseCommand):
    help = "Parse a regulation (.txt/.docx); save it as a draft unless --dry-run."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Parse and print only; touch no database.")
        parser.add_argument("--json", action="store_true", help="Print the parsed tree as JSON.")
        parser.add_argument("--code", help="Policy code (default: next free IMP-NNN).")
        parser.add_argument("--owner", help="Owning department code (default: ops, else the root).")
        parser.add_argument("--category", help="Category code.")

    def execute(self, *args, **options):
        # One clear line and a non-zero exit, never a traceback, for bad input.
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            sys.stderr.write(f"import_policy: {exc}\n")
            sys.exit(exc.returncode if hasattr(exc, "returncode") else 1)

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}: {exc.strerror}") from None
        try:
            text = read_upload(path.name, data)
        except ParseInputError as exc:
            raise CommandError(str(exc)) from None
        result = parse_text(text)
        payload = to_json(result)
        if options["dry_run"]:
            if options["json"]:
                out = {
                    "title": payload["title"],
                    "effective_date": payload["effective_date"],
                    "interpreter": payload["interpreter"],
                    "nodes": [node_json(n) for n in payload["nodes"]],
                }
                self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            else:
                self._outline(result)
            return
        version = self._save(text, result, options)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "code": version.policy.code,
                        "label": version.label,
                        "status": version.status,
                        "articles": version.article_count,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(
                f"Draft {version.policy.code} {version.label} saved: {version.title} ({version.article_count} articles)"
            )

    def _outline(self, result) -> None:
        from apps.policies.parsing import iter_nodes

        self.stdout.write(f"title: {result.title or '-'}")
        self.stdout.write(
            f"effective: {result.effective_date or ('on publication' if result.effective_on_publish else '-')}"
        )
        self.stdout.write(f"interpreter: {result.interpreter or '-'}")
        for node, ancestors in iter_nodes(result.nodes):
            self.stdout.write("  " * len(ancestors) + f"{node.label} {node.heading or node.text[:40]}")
        for warning in result.warnings:
            self.stdout.write(f"warning: {warning}")

    def _save(self, text, result, options):
        from apps.departments.models import Department
        from apps.policies import services
        from apps.policies.models import Category, Policy

        owner = options["owner"]
        dept = (
            Department.objects.filter(code=owner).first()
            if owner
            else Department.objects.filter(code="ops").first() or Department.objects.filter(parent=None).first()
        )
        if dept is None:
            raise CommandError(f"部门不存在: {owner or 'ops'}")
        category = None
        if options["category"]:
            category = Category.objects.filter(code=options["category"]).first()
            if category is None:
                raise CommandError(f"分类不存在: {options['category']}")
        code = options["code"]
        if not code:
            n = Policy.objects.filter(code__startswith="IMP-").count() + 1
            while Policy.objects.filter(code=f"IMP-{n:03d}").exists():
                n += 1
            code = f"IMP-{n:03d}"
        interp = Department.objects.filter(name=result.interpreter).first() if result.interpreter else None
        try:
            return services.policy_create(
                actor=None,
                code=code,
                title=result.title or path_title(options["file"]),
                owning_department=dept,
                category=category,
                interpreting_department=interp,
                text=text,
            )
        except services.ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None


def path_title(file: str) -> str:
    return Path(file).stem[:200]
