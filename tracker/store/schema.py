"""The schema as named migrations, applied in order and recorded in ``_migrations`` (see ``db``).

What belongs here: the SQL that makes the tables, indexes and views, one migration per change, never
edited once released (a change is a new migration); ``tests/golden/schema.sql`` pins the result.
A migration that must compute something in Python names a store method in ``AFTER``.
"""

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_initial",
        """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE filings (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE REFERENCES blobs(sha256),
            accession TEXT UNIQUE,
            source_name TEXT NOT NULL,
            format TEXT NOT NULL,
            encoding TEXT NOT NULL,
            form_type TEXT,
            filed_date TEXT,
            recorded_date TEXT NOT NULL,
            company TEXT,
            cik TEXT,
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            sequence INTEGER NOT NULL,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            title TEXT,
            registrant TEXT,
            series TEXT,
            file_number TEXT,
            irs_ein TEXT,
            form_type TEXT,
            document_date TEXT,
            report_date TEXT,
            signature_date TEXT,
            amends_supplement_date TEXT,
            amends_prospectus_date TEXT,
            amount TEXT,
            exhibit TEXT,
            UNIQUE (filing_id, sequence)
        );
        CREATE INDEX documents_series ON documents(series);
        CREATE TABLE versions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            number INTEGER NOT NULL,
            parent_id INTEGER REFERENCES versions(id),
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            effective_date TEXT NOT NULL,
            recorded_date TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            snapshot INTEGER NOT NULL DEFAULT 1,
            delta TEXT,
            patch TEXT,
            partial INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (document_id, number)
        );
        CREATE TABLE amendments (
            filing_id INTEGER PRIMARY KEY REFERENCES filings(id),
            sticker_document_id INTEGER NOT NULL REFERENCES documents(id),
            target_document_id INTEGER REFERENCES documents(id),
            linked_by TEXT,
            state TEXT NOT NULL,
            version_id INTEGER REFERENCES versions(id),
            summary TEXT
        );
        CREATE TABLE instructions (
            id INTEGER PRIMARY KEY,
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            n INTEGER NOT NULL,
            op TEXT NOT NULL,
            target TEXT NOT NULL,
            new_text TEXT,
            source_text TEXT NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            status TEXT NOT NULL,
            confidence REAL,
            start INTEGER,
            end INTEGER,
            replacement TEXT,
            candidates TEXT,
            reason TEXT,
            version_id INTEGER REFERENCES versions(id),
            UNIQUE (filing_id, n)
        );
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            n INTEGER NOT NULL,
            text TEXT NOT NULL,
            version_id INTEGER REFERENCES versions(id),
            UNIQUE (filing_id, n)
        );
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            n INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            who TEXT NOT NULL,
            why TEXT,
            at TEXT NOT NULL,
            UNIQUE (filing_id, n)
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            command TEXT NOT NULL,
            inputs TEXT NOT NULL,
            outputs TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        );
        """,
    ),
)

MIGRATIONS += (
    (
        "0002_search_and_views",
        """
        CREATE TABLE block_texts (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            heading TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE passages USING fts5(
            text, heading, content = 'block_texts', content_rowid = 'id',
            tokenize = 'porter unicode61'
        );
        CREATE TABLE version_blocks (
            version_id INTEGER PRIMARY KEY REFERENCES versions(id),
            data BLOB NOT NULL
        );
        CREATE VIEW version_detail AS
            SELECT v.id AS version_id, d.key AS document, d.kind, d.series, v.number AS version,
                   v.effective_date, v.recorded_date, v.partial, v.text_sha256,
                   f.id AS filing_id, COALESCE(f.accession, f.sha256) AS filing, f.source_name,
                   (SELECT p.number FROM versions p WHERE p.id = v.parent_id) AS parent_version
            FROM versions v JOIN documents d ON d.id = v.document_id JOIN filings f ON f.id = v.filing_id;
        CREATE VIEW instruction_detail AS
            SELECT i.filing_id, s.key AS sticker, t.key AS document, i.n, i.op,
                   json_extract(i.target, '$.kind') AS target_kind, json_extract(i.target, '$.page') AS page,
                   i.status, i.confidence, i.reason, i.source_text, i.new_text,
                   (SELECT v.number FROM versions v WHERE v.id = i.version_id) AS version
            FROM instructions i JOIN amendments a ON a.filing_id = i.filing_id
            JOIN documents s ON s.id = a.sticker_document_id LEFT JOIN documents t ON t.id = a.target_document_id;
        CREATE VIEW document_detail AS
            SELECT d.id, d.key, d.kind, d.title, d.registrant, d.series, d.file_number, d.irs_ein,
                   d.document_date, d.amends_supplement_date, d.amount,
                   f.id AS filing_id, COALESCE(f.accession, f.sha256) AS filing, f.recorded_date,
                   (SELECT COUNT(*) FROM versions v WHERE v.document_id = d.id) AS versions
            FROM documents d JOIN filings f ON f.id = d.filing_id
        """,
    ),
)

MIGRATIONS += (
    (
        "0003_version_structure",
        """
        CREATE TABLE version_structure (
            version_id INTEGER PRIMARY KEY REFERENCES versions(id),
            data BLOB NOT NULL
        )
        """,
    ),
    (
        "0004_text_slices",
        """
        CREATE TABLE text_slices (
            sha256 TEXT PRIMARY KEY,
            filing_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        )
        """,
    ),
    (
        # Each parsed instruction and notice whole, as ``models.to_record`` writes it (the columns
        # beside it keep what SQL and the views read), and the places an instruction that changes
        # several places changed; rows made before it have NULL here.
        "0005_instruction_records",
        """
        ALTER TABLE instructions ADD COLUMN record TEXT;
        ALTER TABLE instructions ADD COLUMN pieces TEXT;
        ALTER TABLE notices ADD COLUMN record TEXT
        """,
    ),
    (
        # A preliminary document (Form 424H, "SUBJECT TO COMPLETION") and, for a sticker, the kind of
        # document it amends as its cover names it ("preliminary_prospectus", "prospectus_supplement").
        "0006_preliminary_documents",
        """
        ALTER TABLE documents ADD COLUMN preliminary INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE documents ADD COLUMN amends_kind TEXT
        """,
    ),
)

MIGRATIONS += (
    (
        # The proof of the record: each event commits the digests of the records its write touched
        # (``proof``), and the chain's head is kept beside the trail, so that cutting events off its
        # end shows. A database made before is committed whole by one "migrate" event (``AFTER``).
        "0007_record_proofs",
        """
        ALTER TABLE events ADD COLUMN records TEXT;
        CREATE TABLE chain_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            event_id INTEGER NOT NULL,
            hash TEXT NOT NULL
        );
        INSERT INTO chain_head (id, event_id, hash) SELECT 1, id, hash FROM events ORDER BY id DESC LIMIT 1
        """,
    ),
)

MIGRATIONS += (
    (
        # A version's structure may be a splice on its parent's (what an edit changed), read as a
        # chain from the nearest whole one; NULL for a whole structure (and every one made before).
        "0008_spliced_structures",
        """
        ALTER TABLE version_structure ADD COLUMN spliced_on INTEGER REFERENCES versions(id)
        """,
    ),
)


def _hex_prefix_as_integer(column: str, digits: int = 15) -> str:
    """SQL for the integer the first ``digits`` hex digits of ``column`` spell (SQLite reads no hex)."""
    return " | ".join(f"((instr('0123456789abcdef', substr({column}, {i + 1}, 1)) - 1) << {4 * (digits - 1 - i)})"
                      for i in range(digits))


MIGRATIONS += (
    (
        # The search index keeps no copy of the texts: the FTS5 table is contentless (the texts are
        # the versions' own, and a hit's snippet is made from its block there), and ``block_texts``
        # keeps each indexed text's key only, as its rowid: the first 60 bits of the sha256 of its
        # heading path, a NUL and its text (``store.block_key``), read here from the hex keys kept
        # before; ``id`` is the text's row in the index.
        "0009_contentless_search",
        f"""
        CREATE TABLE block_keys (
            hash INTEGER PRIMARY KEY,
            id INTEGER NOT NULL
        );
        INSERT INTO block_keys (hash, id) SELECT {_hex_prefix_as_integer("hash")}, id FROM block_texts;
        CREATE VIRTUAL TABLE passages_index USING fts5(
            text, heading, content = '', tokenize = 'porter unicode61'
        );
        INSERT INTO passages_index (rowid, text, heading) SELECT id, text, heading FROM block_texts;
        DROP TABLE passages;
        DROP TABLE block_texts;
        ALTER TABLE block_keys RENAME TO block_texts;
        ALTER TABLE passages_index RENAME TO passages
        """,
    ),
)

MIGRATIONS += (
    (
        # A version made from its parent keeps its exact edits and its audit patch together in one
        # compressed column (the new text they share is kept once); rows made before keep theirs
        # in ``delta`` and ``patch``, and are read as they are.
        "0010_packed_edits",
        """
        ALTER TABLE versions ADD COLUMN edits BLOB
        """,
    ),
)

# Steps in Python that follow a migration's SQL: the name of a store method, run in the same
# transaction once the SQL of every pending migration has run (each step once, in their order).
# The search index's keys (0009) and the versions' packed edits (0010) change what a version's
# digest covers, so a database made before them is committed whole again.
AFTER = {"0007_record_proofs": "commit_all_records", "0009_contentless_search": "commit_all_records",
         "0010_packed_edits": "commit_all_records"}

# Steps in Python that run before the SQL of every pending migration, once, when one of these is
# pending: before the records are committed again, those that differ from what their events
# committed are noted (they stay reported by ``verify``).
BEFORE = {"0009_contentless_search": "unproved_records"}
