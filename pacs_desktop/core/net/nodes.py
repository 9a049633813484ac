"""PACS node definitions, stored in the archive database.

A node is a remote DICOM application entity: AE title, host, port, how to
retrieve from it and its TLS files. Secrets (the passphrase of a TLS client
key) go to the operating system's keyring through ``keyring`` and never to the
database or a settings file.

With a `NodeAudit`, every node added, updated or removed is recorded in the
audit trail as NODES_CHANGED (a Security Alert of type Network Configuration),
in the same transaction as the change.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.net.errors import NodeError
from pacs_desktop.core.security.audit import NODES_CHANGED, AuditTrail
from pacs_desktop.core.settings import validate_ae_title

logger = logging.getLogger(__name__)

KEYRING_SERVICE = "pacs-desktop"
RETRIEVE_METHODS = ("auto", "get", "move")

_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

_MIGRATIONS = [
    """
    CREATE TABLE pacs_nodes (
        name TEXT PRIMARY KEY,
        ae_title TEXT NOT NULL,
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        retrieve TEXT NOT NULL DEFAULT 'auto',
        tls INTEGER NOT NULL DEFAULT 0,
        ca_file TEXT,
        cert_file TEXT,
        key_file TEXT
    );
    """
]


@dataclass(frozen=True)
class Node:
    """A remote DICOM application entity (a PACS or a modality)."""

    name: str
    ae_title: str
    host: str
    port: int
    retrieve: str = "auto"
    tls: bool = False
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def label(self) -> str:
        """The node as messages name it: name, AE title and address."""
        return f"{self.name} ({self.ae_title}@{self.host}:{self.port})"

    def key_passphrase(self) -> str | None:
        """Return the TLS client key's passphrase from the keyring, if any."""
        import keyring.errors

        try:
            secret: str | None = keyring.get_password(
                KEYRING_SERVICE, _passphrase_user(self.name)
            )
        except keyring.errors.KeyringError as exc:
            raise NodeError(
                f"node {self.name}: cannot read the key passphrase from the "
                f"keyring: {exc}"
            ) from exc
        return secret


def _validate(node: Node) -> None:
    """Raise a `NodeError` that lists every invalid field of ``node``."""
    problems = node_problems(node)
    if not problems:
        return
    if len(problems) == 1:
        raise NodeError(f"node {node.name}: {problems[0]}", problems=problems)
    raise NodeError(
        f"node {node.name} has {len(problems)} invalid fields: " + "; ".join(problems),
        problems=problems,
    )


def node_problems(node: Node) -> tuple[str, ...]:
    """Return a description of each invalid field of ``node``, in field order."""
    problems: list[str] = []
    if not _NAME_PATTERN.match(node.name):
        problems.append(
            f"name {node.name!r} is invalid: use 1-64 letters, digits, '.', "
            "'_' or '-', starting with a letter or digit"
        )
    try:
        validate_ae_title(node.ae_title)
    except ValueError as exc:
        problems.append(str(exc))
    if not node.host or any(char.isspace() for char in node.host):
        problems.append(f"host {node.host!r} is invalid")
    if not 1 <= node.port <= 65535:
        problems.append(f"port {node.port} is outside 1-65535")
    if node.retrieve not in RETRIEVE_METHODS:
        problems.append(
            f"retrieve method {node.retrieve!r} is not one of "
            f"{', '.join(RETRIEVE_METHODS)}"
        )
    problems.extend(_tls_problems(node))
    return tuple(problems)


def _tls_problems(node: Node) -> list[str]:
    problems: list[str] = []
    if node.tls and node.ca_file is None:
        problems.append(
            "TLS needs the CA certificate file that signed the PACS certificate "
            "(--ca FILE)"
        )
    if (node.cert_file is None) != (node.key_file is None):
        problems.append("a TLS client certificate needs both --cert and --key")
    if not node.tls and (node.ca_file or node.cert_file):
        problems.append("certificate files given without --tls")
    return problems


def _passphrase_user(name: str) -> str:
    return f"node/{name}/key-passphrase"


@dataclass(frozen=True)
class NodeAudit:
    """The user who changes the nodes of a `NodeStore`, and the trail to record in.

    ``trail`` must keep its records in the store's database, because each
    record joins the transaction of the change it describes.
    """

    trail: AuditTrail
    user: str
    """The logged-in user, or the operating-system account with ``os_account``."""
    os_account: bool = False


class NodeStore:
    """The PACS nodes of one workstation database.

    With ``audit``, each change is recorded as NODES_CHANGED under
    ``audit.user``; the record names the node, its AE title, host, port,
    retrieve method and whether it uses TLS, never a file path or a secret.
    """

    def __init__(self, database: Database, *, audit: NodeAudit | None = None) -> None:
        self.database = database
        self.audit = audit
        database.migrate("pacs_nodes", _MIGRATIONS)

    def add(self, node: Node, *, key_passphrase: str | None = None) -> None:
        """Store a new node, and its key passphrase in the keyring.

        Raises
        ------
        NodeError
            If a node of that name exists, or the keyring rejects the secret
            (the node is then removed again, and with ``audit`` the removal
            is recorded too).
        AuditError
            If the change cannot be recorded; the node is not added then.
        """
        conn = self.database.connection()
        try:
            with self._change(conn):
                conn.execute(
                    "INSERT INTO pacs_nodes (name, ae_title, host, port, retrieve, "
                    "tls, ca_file, cert_file, key_file) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _row_values(node),
                )
                self._record(f"PACS node {node.name} added: {_describe(node)}")
        except sqlite3.IntegrityError:
            raise NodeError(
                f"node {node.name} already exists; remove it first to change it"
            ) from None
        if key_passphrase:
            import keyring.errors

            try:
                user = _passphrase_user(node.name)
                keyring.set_password(KEYRING_SERVICE, user, key_passphrase)
                # Some backends (the null keyring) discard secrets silently.
                if keyring.get_password(KEYRING_SERVICE, user) != key_passphrase:
                    raise keyring.errors.KeyringError(
                        "the keyring did not keep the secret; configure a "
                        "working keyring backend"
                    )
            except keyring.errors.KeyringError as exc:
                self.remove(node.name)
                raise NodeError(
                    f"node {node.name}: cannot store the key passphrase in the "
                    f"keyring ({exc}); the node was not added"
                ) from exc
        logger.info("PACS node %s added", node.name)

    def update(self, name: str, node: Node) -> None:
        """Store ``node`` in place of the node called ``name``.

        A renamed node keeps its key passphrase: the keyring secret moves to
        the new name before the database row changes.

        Raises
        ------
        NodeError
            If no node has that name, another node has the new name, or the
            keyring cannot move the secret; the node is then unchanged.
        AuditError
            If the change cannot be recorded; the node is then unchanged.
        """
        previous = self.get(name)
        renamed = node.name != name
        moved = renamed and self._copy_secret(name, node.name)
        conn = self.database.connection()
        try:
            with self._change(conn):
                cursor = conn.execute(
                    "UPDATE pacs_nodes SET name = ?, ae_title = ?, host = ?, "
                    "port = ?, retrieve = ?, tls = ?, ca_file = ?, cert_file = ?, "
                    "key_file = ? WHERE name = ?",
                    (*_row_values(node), name),
                )
                if cursor.rowcount == 0:
                    raise NodeError(f"no PACS node called {name!r}")
                self._record(
                    f"PACS node {name} updated: {_describe(node)}; before: "
                    f"{_describe(previous)}"
                )
        except sqlite3.IntegrityError:
            self._discard_copy(moved, node.name)
            raise NodeError(
                f"node {node.name} already exists; choose another name"
            ) from None
        except Exception:
            self._discard_copy(moved, node.name)
            raise
        if moved:
            self._delete_secret(name)
        logger.info("PACS node %s updated", node.name)

    def _copy_secret(self, old_name: str, new_name: str) -> bool:
        """Copy a node's key passphrase to a new name; False if it has none."""
        import keyring.errors

        try:
            secret = keyring.get_password(KEYRING_SERVICE, _passphrase_user(old_name))
            if secret is None:
                return False
            user = _passphrase_user(new_name)
            keyring.set_password(KEYRING_SERVICE, user, secret)
            if keyring.get_password(KEYRING_SERVICE, user) != secret:
                raise keyring.errors.KeyringError("the keyring did not keep the secret")
        except keyring.errors.NoKeyringError:
            # Without a keyring backend `add` stores no secret.
            return False
        except keyring.errors.KeyringError as exc:
            raise NodeError(
                f"node {old_name}: cannot move the key passphrase to the new name "
                f"{new_name} in the keyring ({exc}); the node was not changed"
            ) from exc
        return True

    def _discard_copy(self, moved: bool, name: str) -> None:
        if moved:
            self._delete_secret(name)

    def _delete_secret(self, name: str) -> None:
        import keyring.errors

        try:
            keyring.delete_password(KEYRING_SERVICE, _passphrase_user(name))
        except keyring.errors.KeyringError as exc:
            logger.warning("keyring secret of node %s not deleted: %s", name, exc)

    def get(self, name: str) -> Node:
        """Return the node called ``name``.

        Raises
        ------
        NodeError
            If no node has that name.
        """
        row = (
            self.database.connection()
            .execute("SELECT * FROM pacs_nodes WHERE name = ?", (name,))
            .fetchone()
        )
        if row is None:
            raise NodeError(
                f"no PACS node called {name!r}; `pacs-desktop node list` shows "
                "the defined nodes"
            )
        return _node_from_row(row)

    def list(self) -> list[Node]:
        """Return every node, sorted by name."""
        rows = (
            self.database.connection()
            .execute("SELECT * FROM pacs_nodes ORDER BY name")
            .fetchall()
        )
        return [_node_from_row(row) for row in rows]

    def remove(self, name: str) -> None:
        """Delete the node called ``name`` and its keyring secret.

        Raises
        ------
        NodeError
            If no node has that name.
        AuditError
            If the change cannot be recorded; the node is not removed then.
        """
        node = self.get(name)
        conn = self.database.connection()
        with self._change(conn):
            deleted = conn.execute("DELETE FROM pacs_nodes WHERE name = ?", (name,))
            if deleted.rowcount == 0:
                raise NodeError(f"no PACS node called {name!r}")
            self._record(f"PACS node {name} removed: {_describe(node)}")
        import keyring.errors

        try:
            keyring.delete_password(KEYRING_SERVICE, _passphrase_user(name))
        except keyring.errors.PasswordDeleteError:
            pass  # The node had no secret.
        except keyring.errors.NoKeyringError:
            # Without a keyring backend `add` stores no secret, so there is
            # nothing to delete.
            pass
        except keyring.errors.KeyringError as exc:
            logger.warning("keyring secret of node %s not deleted: %s", name, exc)
        logger.info("PACS node %s removed", name)

    def ae_titles(self) -> set[str]:
        """Return the AE titles of every node."""
        return {node.ae_title for node in self.list()}

    @contextmanager
    def _change(self, conn: sqlite3.Connection) -> Iterator[None]:
        """Run a change and its audit record in one write transaction."""
        # BEGIN IMMEDIATE, because an audit record may only join a
        # transaction that already holds SQLite's write lock.
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _record(self, detail: str) -> None:
        if self.audit is None:
            return
        self.audit.trail.record(
            NODES_CHANGED,
            user=self.audit.user,
            os_account=self.audit.os_account,
            detail=detail,
        )


def _describe(node: Node) -> str:
    """Describe ``node`` for the audit trail: no file paths and no secrets."""
    tls = "TLS" if node.tls else "no TLS"
    return (
        f"AE title {node.ae_title}, host {node.host}, port {node.port}, "
        f"retrieve {node.retrieve}, {tls}"
    )


def _row_values(node: Node) -> tuple[object, ...]:
    """Return the column values of ``node``, in the table's column order."""
    return (
        node.name,
        node.ae_title,
        node.host,
        node.port,
        node.retrieve,
        int(node.tls),
        _text(node.ca_file),
        _text(node.cert_file),
        _text(node.key_file),
    )


def _text(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _path(text: str | None) -> Path | None:
    return Path(text) if text else None


def _node_from_row(row: sqlite3.Row) -> Node:
    return Node(
        name=row["name"],
        ae_title=row["ae_title"],
        host=row["host"],
        port=int(row["port"]),
        retrieve=row["retrieve"],
        tls=bool(row["tls"]),
        ca_file=_path(row["ca_file"]),
        cert_file=_path(row["cert_file"]),
        key_file=_path(row["key_file"]),
    )
