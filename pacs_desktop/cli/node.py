"""`pacs-desktop node add|list|remove|echo`: the PACS nodes."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from pacs_desktop.cli.counts import count
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.echo import echo
from pacs_desktop.core.net.errors import NodeError
from pacs_desktop.core.net.nodes import RETRIEVE_METHODS, Node, NodeAudit, NodeStore
from pacs_desktop.core.settings import Settings


def register(subparsers: Any) -> None:
    """Add the ``node`` command group."""
    parser = subparsers.add_parser(
        "node",
        help="configure PACS nodes",
        description="Define the PACS and other DICOM nodes this workstation "
        "queries, retrieves from and sends to.",
    )
    commands = parser.add_subparsers(dest="node_command", metavar="ACTION")
    commands.required = True

    add = commands.add_parser("add", help="define a node")
    add.add_argument("name", metavar="NAME", help="a short name for the node")
    add.add_argument("--aet", required=True, help="the node's AE title")
    add.add_argument("--host", required=True, help="host name or IP address")
    add.add_argument("--port", required=True, type=int, help="DICOM TCP port")
    add.add_argument(
        "--retrieve",
        choices=RETRIEVE_METHODS,
        default="auto",
        help="retrieve with C-GET, C-MOVE, or C-GET falling back to C-MOVE "
        "(default: auto)",
    )
    add.add_argument("--tls", action="store_true", help="use DICOM TLS")
    add.add_argument(
        "--ca",
        type=Path,
        metavar="FILE",
        help="CA certificate (PEM) that signed the node's certificate",
    )
    add.add_argument("--cert", type=Path, metavar="FILE", help="client certificate")
    add.add_argument("--key", type=Path, metavar="FILE", help="client private key")
    add.add_argument(
        "--ask-key-passphrase",
        action="store_true",
        help="prompt for the client key's passphrase and keep it in the "
        "operating system's keyring",
    )
    add.set_defaults(handler=run_add)

    listing = commands.add_parser("list", help="list the nodes")
    listing.set_defaults(handler=run_list)

    remove = commands.add_parser("remove", help="delete a node")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=run_remove)

    test = commands.add_parser("echo", help="test the connection with a C-ECHO")
    test.add_argument("name", metavar="NAME")
    test.set_defaults(handler=run_echo)


def run_add(args: argparse.Namespace, context: Any) -> int:
    """Store a new node."""
    for option, path in (("--ca", args.ca), ("--cert", args.cert), ("--key", args.key)):
        _check_readable(option, path)
    node = Node(
        name=args.name,
        ae_title=args.aet,
        host=args.host,
        port=args.port,
        retrieve=args.retrieve,
        tls=args.tls,
        ca_file=_absolute(args.ca),
        cert_file=_absolute(args.cert),
        key_file=_absolute(args.key),
    )
    passphrase = None
    if args.ask_key_passphrase:
        passphrase = getpass.getpass(f"Passphrase of {args.key}: ")
    _audited_store(context).add(node, key_passphrase=passphrase)
    print(f"added node {node.label}")
    return 0


def _audited_store(context: Any) -> NodeStore:
    """Return the node store; its changes are audited under the OS account."""
    workstation = context.workstation
    audit = NodeAudit(workstation.audit, context.operating_system_user, os_account=True)
    return NodeStore(workstation.database, audit=audit)


def _check_readable(option: str, path: Path | None) -> None:
    """Raise NodeError unless the file given with ``option`` can be read."""
    if path is None:
        return
    try:
        with path.expanduser().open("rb"):
            pass
    except OSError as exc:
        raise NodeError(
            f"{option} {path}: cannot read the file ({exc.strerror}); give the "
            "path of a readable PEM file"
        ) from exc


def _absolute(path: Path | None) -> Path | None:
    return path.expanduser().resolve() if path is not None else None


def run_list(args: argparse.Namespace, context: Any) -> int:
    """Print one line per node."""
    nodes = NodeStore(context.workstation.database).list()
    for node in nodes:
        tls = f" tls ca={node.ca_file}" if node.tls else ""
        print(
            f"{node.name}\t{node.ae_title}@{node.host}:{node.port}\t"
            f"retrieve={node.retrieve}{tls}"
        )
    print(count(len(nodes), "node", "nodes"))
    return 0


def run_remove(args: argparse.Namespace, context: Any) -> int:
    """Delete a node."""
    _audited_store(context).remove(args.name)
    print(f"removed node {args.name}")
    return 0


def run_echo(args: argparse.Namespace, context: Any) -> int:
    """C-ECHO a node and print the round trip."""
    node = NodeStore(context.workstation.database).get(args.name)
    local = LocalEntity.from_settings(Settings(context.data_dir))
    elapsed = echo(node, local)
    print(f"C-ECHO to {node.label} succeeded in {elapsed * 1000:.0f} ms")
    return 0
