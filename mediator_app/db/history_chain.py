"""The hash chain on the write path (§7.3): each new history row's `hash`, chained to its dispute's previous row.

The canonical form and the hash are `domain.audit_chain`'s. What this module adds is where the previous hash
comes from: a dispute's last row before a write is read in one query per 500 disputes (a feed chunk, a sweep),
or comes with the clerk's action read (`store.load_for_action` asks for it in the same round trip). A hash read
from the database is remembered on the connection by (dispute, version): history rows never change, so such an
entry stays true; hashes this process writes are not remembered (their transaction may still roll back).
"""
from __future__ import annotations

from typing import Any, Iterable, MutableMapping, Sequence

from sqlalchemy import Connection, and_, select

from mediator_app.domain.audit_chain import GENESIS, ChainRow, row_hash

from .schema import Dispute, History

#: conn.info key of the remembered hashes: {(dispute_id, version): hash}
_KEY = "mediator_history_heads"
_LIMIT = 50_000


def _known(conn: Connection) -> MutableMapping[tuple[str, int], str]:
    known: MutableMapping[tuple[str, int], str] = conn.info.setdefault(_KEY, {})
    if len(known) > _LIMIT:
        known.clear()
    return known


def remember(conn: Connection, dispute_id: str, version: int, hash_: str | None) -> None:
    """A row's hash as read from the database (None: a row without one, which is not remembered)."""
    if hash_ is not None:
        _known(conn)[(dispute_id, version)] = hash_


def previous_hashes(conn: Connection, wanted: Iterable[tuple[str, int]]) -> dict[str, str]:
    """dispute id -> the hash of its row at the given version (the version a write starts from). The rows are
    read at the disputes' stored version: a write from any other version fails its compare-and-set anyway."""
    from .store import among  # store imports this module

    known = _known(conn)
    out: dict[str, str] = {}
    missing: list[str] = []
    for dispute_id, version in wanted:
        found = known.get((dispute_id, version))
        if found is None:
            missing.append(dispute_id)
        else:
            out[dispute_id] = found
    for start in range(0, len(missing), 500):
        part = missing[start:start + 500]
        query = (select(History.dispute_id, History.version, History.hash)
                 .join(Dispute, and_(Dispute.dispute_id == History.dispute_id, Dispute.version == History.version))
                 .where(among(conn, Dispute.dispute_id, part)))
        for dispute_id, version, hash_ in conn.execute(query):
            remember(conn, dispute_id, version, hash_)
            if hash_ is not None:
                out[dispute_id] = hash_
    return out


def hash_rows(rows: Sequence[dict[str, Any]], previous: dict[str, str]) -> None:
    """Set `hash` on each history row (a dispute's rows in version order); `previous`: dispute id -> the hash its
    first row chains to (a new dispute, or one whose last row has none: GENESIS)."""
    heads = dict(previous)
    for row in rows:
        dispute_id = row["dispute_id"]
        row["hash"] = heads[dispute_id] = row_hash(heads.get(dispute_id, GENESIS), ChainRow(
            dispute_id, row["version"], row["at"], row["kind"], row["actor"], row["party"], row["summary"],
            row["payload"]))
