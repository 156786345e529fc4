"""The schema on PostgreSQL: the same named migrations as SQLite's (``store.schema``), in PostgreSQL's
dialect, recorded the same way in ``_migrations``.

What belongs here: the DDL only. Every name of ``store.schema.MIGRATIONS`` has its counterpart here
(``tests/test_postgres.py`` checks), so a record moves between backends and the schema guard reads
the same list on both. What differs: integers are ``BIGINT`` (ids, block keys and sizes pass 2^31),
bytes ``BYTEA``, reals ``DOUBLE PRECISION``; ids are given by the store under its write lock (the
largest plus one, as SQLite's rowids), so they run without gaps whatever rolls back; ``"end"`` is
quoted (a reserved word here); the search index, stemmed in English with no stop words (as FTS5's
Porter tokenizer: every word counts), is a table of ``tsvector`` terms under a GIN index rather
than an FTS5 table; the views read JSON with ``->>``.
"""

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_initial",
        """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size BIGINT NOT NULL,
            data BYTEA NOT NULL
        );
        CREATE TABLE filings (
            id BIGINT PRIMARY KEY,
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
            id BIGINT PRIMARY KEY,
            filing_id BIGINT NOT NULL REFERENCES filings(id),
            sequence BIGINT NOT NULL,
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
            id BIGINT PRIMARY KEY,
            document_id BIGINT NOT NULL REFERENCES documents(id),
            number BIGINT NOT NULL,
            parent_id BIGINT REFERENCES versions(id),
            filing_id BIGINT NOT NULL REFERENCES filings(id),
            effective_date TEXT NOT NULL,
            recorded_date TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            snapshot BIGINT NOT NULL DEFAULT 1,
            delta TEXT,
            patch TEXT,
            partial BIGINT NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (document_id, number)
        );
        CREATE TABLE amendments (
            filing_id BIGINT PRIMARY KEY REFERENCES filings(id),
            sticker_document_id BIGINT NOT NULL REFERENCES documents(id),
            target_document_id BIGINT REFERENCES documents(id),
            linked_by TEXT,
            state TEXT NOT NULL,
            version_id BIGINT REFERENCES versions(id),
            summary TEXT
        );
        CREATE TABLE instructions (
            id BIGINT PRIMARY KEY,
            filing_id BIGINT NOT NULL REFERENCES filings(id),
            n BIGINT NOT NULL,
            op TEXT NOT NULL,
            target TEXT NOT NULL,
            new_text TEXT,
            source_text TEXT NOT NULL,
            span_start BIGINT NOT NULL,
            span_end BIGINT NOT NULL,
            status TEXT NOT NULL,
            confidence DOUBLE PRECISION,
            start BIGINT,
            "end" BIGINT,
            replacement TEXT,
            candidates TEXT,
            reason TEXT,
            version_id BIGINT REFERENCES versions(id),
            UNIQUE (filing_id, n)
        );
        CREATE TABLE notices (
            id BIGINT PRIMARY KEY,
            filing_id BIGINT NOT NULL REFERENCES filings(id),
            n BIGINT NOT NULL,
            text TEXT NOT NULL,
            version_id BIGINT REFERENCES versions(id),
            UNIQUE (filing_id, n)
        );
        CREATE TABLE decisions (
            id BIGINT PRIMARY KEY,
            filing_id BIGINT NOT NULL REFERENCES filings(id),
            n BIGINT NOT NULL,
            start BIGINT NOT NULL,
            "end" BIGINT NOT NULL,
            who TEXT NOT NULL,
            why TEXT,
            at TEXT NOT NULL,
            UNIQUE (filing_id, n)
        );
        CREATE TABLE events (
            id BIGINT PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            command TEXT NOT NULL,
            inputs TEXT NOT NULL,
            outputs TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        )
        """,
    ),
    (
        "0002_search_and_views",
        """
        CREATE TEXT SEARCH DICTIONARY tracker_stem (TEMPLATE = snowball, Language = english);
        CREATE TEXT SEARCH CONFIGURATION tracker_english (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION tracker_english ALTER MAPPING
            FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH tracker_stem;
        CREATE TABLE block_texts (
            id BIGINT PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            heading TEXT NOT NULL,
            text TEXT NOT NULL,
            terms TSVECTOR NOT NULL GENERATED ALWAYS AS (
                to_tsvector('tracker_english', text) || to_tsvector('tracker_english', heading)) STORED
        );
        CREATE INDEX block_texts_terms ON block_texts USING GIN (terms);
        CREATE TABLE version_blocks (
            version_id BIGINT PRIMARY KEY REFERENCES versions(id),
            data BYTEA NOT NULL
        );
        CREATE VIEW version_detail AS
            SELECT v.id AS version_id, d.key AS document, d.kind, d.series, v.number AS version,
                   v.effective_date, v.recorded_date, v.partial, v.text_sha256,
                   f.id AS filing_id, COALESCE(f.accession, f.sha256) AS filing, f.source_name,
                   (SELECT p.number FROM versions p WHERE p.id = v.parent_id) AS parent_version
            FROM versions v JOIN documents d ON d.id = v.document_id JOIN filings f ON f.id = v.filing_id;
        CREATE VIEW instruction_detail AS
            SELECT i.filing_id, s.key AS sticker, t.key AS document, i.n, i.op,
                   CAST(i.target AS json) ->> 'kind' AS target_kind, CAST(i.target AS json) ->> 'page' AS page,
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
    (
        "0003_version_structure",
        """
        CREATE TABLE version_structure (
            version_id BIGINT PRIMARY KEY REFERENCES versions(id),
            data BYTEA NOT NULL
        )
        """,
    ),
    (
        "0004_text_slices",
        """
        CREATE TABLE text_slices (
            sha256 TEXT PRIMARY KEY,
            filing_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            start BIGINT NOT NULL,
            "end" BIGINT NOT NULL
        )
        """,
    ),
    (
        "0005_instruction_records",
        """
        ALTER TABLE instructions ADD COLUMN record TEXT;
        ALTER TABLE instructions ADD COLUMN pieces TEXT;
        ALTER TABLE notices ADD COLUMN record TEXT
        """,
    ),
    (
        "0006_preliminary_documents",
        """
        ALTER TABLE documents ADD COLUMN preliminary BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE documents ADD COLUMN amends_kind TEXT
        """,
    ),
    (
        "0007_record_proofs",
        """
        ALTER TABLE events ADD COLUMN records TEXT;
        CREATE TABLE chain_head (
            id BIGINT PRIMARY KEY CHECK (id = 1),
            event_id BIGINT NOT NULL,
            hash TEXT NOT NULL
        );
        INSERT INTO chain_head (id, event_id, hash) SELECT 1, id, hash FROM events ORDER BY id DESC LIMIT 1
        """,
    ),
)

MIGRATIONS += (
    (
        "0008_spliced_structures",
        """
        ALTER TABLE version_structure ADD COLUMN spliced_on BIGINT REFERENCES versions(id)
        """,
    ),
    (
        # As under SQLite: the index keeps no texts. ``passages`` keeps each text's terms, by its id,
        # under a GIN index; ``block_texts`` keeps each text's key (the first 60 bits of the sha256
        # of its heading path, a NUL and its text: 15 hex digits) and its id.
        "0009_contentless_search",
        """
        CREATE TABLE passages (
            id BIGINT PRIMARY KEY,
            terms TSVECTOR NOT NULL
        );
        INSERT INTO passages (id, terms) SELECT id, terms FROM block_texts;
        CREATE INDEX passages_terms ON passages USING GIN (terms);
        CREATE TABLE block_keys (
            hash BIGINT PRIMARY KEY,
            id BIGINT NOT NULL
        );
        INSERT INTO block_keys (hash, id)
            SELECT CAST(CAST('x' || lpad(substr(hash, 1, 15), 16, '0') AS bit(64)) AS BIGINT), id FROM block_texts;
        DROP TABLE block_texts;
        ALTER TABLE block_keys RENAME TO block_texts;
        ALTER INDEX block_keys_pkey RENAME TO block_texts_pkey
        """,
    ),
    (
        "0010_packed_edits",
        """
        ALTER TABLE versions ADD COLUMN edits BYTEA
        """,
    ),
)

# The tables whose ``id`` the store gives on insert (the largest plus one, under the write lock).
NUMBERED = frozenset({"filings", "documents", "versions", "instructions", "notices", "decisions", "events"})
