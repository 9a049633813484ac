"""`pacs-desktop audit`: verify, list and export the audit trail.

Reading the trail needs no application login: whoever runs the command can
already read the database file, so the operating-system account that ran it is
recorded as the reader, marked as such. Every reading leaves its own record
("audit-read", or "audit-exported" for an export), written after the records it
reports were read, so a listing or an export never contains its own record.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditError, AuditRecord, AuditTrail

if TYPE_CHECKING:
    from pacs_desktop.cli.main import CommandContext

EXIT_OK = 0
EXIT_FAILURE = 1

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")

_BOUNDS_HELP = (
    "DATE is YYYY-MM-DD (a whole UTC day) or an ISO 8601 date and time such as "
    "2026-03-02T08:30 or 2026-03-02T09:30+01:00 (UTC when no offset is given). "
    "Both bounds are inclusive."
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` command group and its actions to ``subparsers``."""
    parser = subparsers.add_parser(
        "audit",
        help="verify, list and export the audit trail",
        description="Read the tamper-evident audit trail. Each reading is "
        "itself audited under the operating-system account that runs the "
        "command.",
    )
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION")
    actions.required = True

    verify = actions.add_parser(
        "verify",
        help="check the hash chain of every record",
        description="Check that no record was altered, removed or reordered, "
        "and that no records were cut off the end (the head of the trail is "
        "checked against its anchor, whose key is kept outside the database). "
        "Exit status 0 when the trail is intact, 1 when it is not; the output "
        "names the first broken record and since when the end is anchored.",
    )
    verify.set_defaults(handler=run_verify)

    export = actions.add_parser(
        "export",
        help="write the records of a time range as XML",
        description="Write the DICOM audit messages (PS3.15 A.5) of the "
        "records in a time range as one XML document, each wrapped in an "
        f"AuditRecord element with its sequence number and hashes. {_BOUNDS_HELP}",
    )
    _add_bounds(export, required=True)
    export.add_argument(
        "--output",
        metavar="FILE",
        type=Path,
        help="file to write (created readable by its owner only; default: "
        "standard output)",
    )
    export.set_defaults(handler=run_export)

    listing = actions.add_parser(
        "list",
        help="print records, newest last",
        description=f"Print the records that match every given filter. {_BOUNDS_HELP}",
    )
    _add_bounds(listing, required=False)
    listing.add_argument(
        "--event", choices=sorted(events.EVENTS), help="only records of this event"
    )
    listing.add_argument("--user", metavar="NAME", help="only records of this user")
    listing.add_argument(
        "--limit",
        metavar="N",
        type=_positive_int,
        help="only the newest N matching records",
    )
    listing.add_argument(
        "--json", action="store_true", help="print a JSON list instead of a table"
    )
    listing.set_defaults(handler=run_list)


def _add_bounds(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        required=required,
        type=parse_start,
        help="first moment of the range (inclusive)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        metavar="DATE",
        required=required,
        type=parse_end,
        help="last moment of the range (inclusive; a date includes that whole day)",
    )


def parse_start(text: str) -> datetime:
    """Return the UTC moment where a range starting at ``text`` begins.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a date or an ISO 8601 date and time.
    """
    moment, _ = _parse_moment(text)
    return moment


def parse_end(text: str) -> datetime:
    """Return the exclusive UTC end of a range ending at ``text`` (inclusive).

    A date ends at the start of the next day; a date and time ends one
    microsecond later, the resolution of the stored record times.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a date or an ISO 8601 date and time.
    """
    moment, date_only = _parse_moment(text)
    return moment + (timedelta(days=1) if date_only else timedelta(microseconds=1))


def _parse_moment(text: str) -> tuple[datetime, bool]:
    value = text.strip()
    date_only = _DATE_ONLY.fullmatch(value) is not None
    try:
        if date_only:
            moment = datetime.combine(
                datetime.strptime(value, "%Y-%m-%d").date(), time(), timezone.utc
            )
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}; use YYYY-MM-DD or an ISO 8601 date and time "
            "such as 2026-03-02T08:30"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc), date_only


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid count {text!r}; give a number >= 1")
    return value


def _check_range(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end <= start:
        print(
            "pacs-desktop audit: --to is before --from; swap the two dates",
            file=sys.stderr,
        )
        raise SystemExit(2)


def run_verify(args: argparse.Namespace, context: CommandContext) -> int:
    """Check the chain, print the result and audit the reading."""
    trail = context.workstation.audit
    result = trail.verify()
    if result.ok:
        print(f"audit trail intact: {result.checked} records checked")
        print(result.message)
    elif result.seq is None:
        print(f"audit trail broken: {result.message}")
        print(f"problem: {result.problem}; records checked: {result.checked}")
    else:
        print(f"audit trail broken: {result.message}")
        print(
            f"problem: {result.problem}; first record concerned: {result.seq}; "
            f"records intact before it: {result.checked}"
        )
    outcome = "intact" if result.ok else f"broken: {result.message}"
    _record_reading(trail, context, events.AUDIT_READ, f"verified the chain: {outcome}")
    return EXIT_OK if result.ok else EXIT_FAILURE


def run_export(args: argparse.Namespace, context: CommandContext) -> int:
    """Write the records in the range as XML and audit the export."""
    _check_range(args.start, args.end)
    trail = context.workstation.audit
    records = trail.records(start=args.start, end=args.end)
    document = trail.export_xml(records).encode("utf-8")
    destination = str(args.output) if args.output else "standard output"
    detail = (
        f"exported {len(records)} records from {_iso(args.start)} to "
        f"{_iso(args.end)} (exclusive) to {destination}"
    )
    # The export is recorded before the data leaves, so no copy exists that
    # the trail does not mention.
    _record_reading(trail, context, events.AUDIT_EXPORTED, detail)

    if args.output is None:
        sys.stdout.buffer.write(document + b"\n")
        sys.stdout.flush()
        return EXIT_OK
    try:
        _write_private(args.output, document)
    except OSError as exc:
        _record_reading(
            trail,
            context,
            events.AUDIT_EXPORTED,
            f"export to {destination} failed: {exc.strerror or exc}",
            outcome="failure",
        )
        raise AuditError(
            f"cannot write {args.output}: {exc.strerror or exc}; choose a "
            "writable file with --output"
        ) from exc
    print(f"wrote {len(records)} records to {args.output}", file=sys.stderr)
    return EXIT_OK


def run_list(args: argparse.Namespace, context: CommandContext) -> int:
    """Print the matching records and audit the reading."""
    _check_range(args.start, args.end)
    trail = context.workstation.audit
    records = trail.records(
        start=args.start,
        end=args.end,
        event=args.event,
        user=args.user,
        limit=args.limit,
    )
    if args.json:
        print(json.dumps([_record_json(record) for record in records], indent=2))
    else:
        for record in records:
            print(_record_line(record))
    _record_reading(trail, context, events.AUDIT_READ, f"listed {len(records)} records")
    return EXIT_OK


def _record_reading(
    trail: AuditTrail,
    context: CommandContext,
    event: str,
    detail: str,
    *,
    outcome: str = "success",
) -> None:
    trail.record(
        event,
        user=context.operating_system_user,
        os_account=True,
        outcome=outcome,
        detail=detail,
    )


def _write_private(path: Path, data: bytes) -> None:
    # Mode 0600: the export contains patient names and identifiers.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _iso(moment: datetime | None) -> str:
    return "-" if moment is None else moment.isoformat()


def _record_json(record: AuditRecord) -> dict[str, object]:
    return {
        "seq": record.seq,
        "time": record.time,
        "event": record.event,
        "outcome": record.outcome,
        "user": record.user,
        "os_account": record.os_account,
        "patient_id": record.patient_id,
        "patient_name": record.patient_name,
        "study_uids": list(record.study_uids),
        "target_user": record.target_user,
        "detail": record.detail,
        "hash": record.hash,
    }


def _record_line(record: AuditRecord) -> str:
    user = f"{record.user} (os)" if record.os_account else record.user
    fields = [str(record.seq), record.time, record.event, record.outcome, user]
    if record.patient_id is not None or record.patient_name is not None:
        fields.append(f"patient {record.patient_id or ''} {record.patient_name or ''}")
    if record.study_uids:
        fields.append("studies " + ",".join(record.study_uids))
    if record.target_user:
        fields.append(f"account {record.target_user}")
    if record.detail:
        fields.append(record.detail)
    return "  ".join(fields)
