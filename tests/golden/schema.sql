CREATE VIEW document_detail AS
            SELECT d.id, d.key, d.kind, d.title, d.registrant, d.series, d.file_number, d.irs_ein,
                   d.document_date, d.amends_supplement_date, d.amount,
                   f.id AS filing_id, COALESCE(f.accession, f.sha256) AS filing, f.recorded_date,
                   (SELECT COUNT(*) FROM versions v WHERE v.document_id = d.id) AS versions
            FROM documents d JOIN filings f ON f.id = d.filing_id
CREATE VIEW instruction_detail AS
            SELECT i.filing_id, s.key AS sticker, t.key AS document, i.n, i.op,
                   json_extract(i.target, '$.kind') AS target_kind, json_extract(i.target, '$.page') AS page,
                   i.status, i.confidence, i.reason, i.source_text, i.new_text,
                   (SELECT v.number FROM versions v WHERE v.id = i.version_id) AS version
            FROM instructions i JOIN amendments a ON a.filing_id = i.filing_id
            JOIN documents s ON s.id = a.sticker_document_id LEFT JOIN documents t ON t.id = a.target_document_id
CREATE VIEW version_detail AS
            SELECT v.id AS version_id, d.key AS document, d.kind, d.series, v.number AS version,
                   v.effective_date, v.recorded_date, v.partial, v.text_sha256,
                   f.id AS filing_id, COALESCE(f.accession, f.sha256) AS filing, f.source_name,
                   (SELECT p.number FROM versions p WHERE p.id = v.parent_id) AS parent_version
            FROM versions v JOIN documents d ON d.id = v.document_id JOIN filings f ON f.id = v.filing_id
CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)
CREATE TABLE amendments (
            filing_id INTEGER PRIMARY KEY REFERENCES filings(id),
            sticker_document_id INTEGER NOT NULL REFERENCES documents(id),
            target_document_id INTEGER REFERENCES documents(id),
            linked_by TEXT,
            state TEXT NOT NULL,
            version_id INTEGER REFERENCES versions(id),
            summary TEXT
        )
CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        )
CREATE TABLE "block_texts" (
            hash INTEGER PRIMARY KEY,
            id INTEGER NOT NULL
        )
CREATE TABLE chain_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            event_id INTEGER NOT NULL,
            hash TEXT NOT NULL
        )
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
        )
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
            exhibit TEXT, preliminary INTEGER NOT NULL DEFAULT 0, amends_kind TEXT,
            UNIQUE (filing_id, sequence)
        )
CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            command TEXT NOT NULL,
            inputs TEXT NOT NULL,
            outputs TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        , records TEXT)
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
        )
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
            version_id INTEGER REFERENCES versions(id), record TEXT, pieces TEXT,
            UNIQUE (filing_id, n)
        )
CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            filing_id INTEGER NOT NULL REFERENCES filings(id),
            n INTEGER NOT NULL,
            text TEXT NOT NULL,
            version_id INTEGER REFERENCES versions(id), record TEXT,
            UNIQUE (filing_id, n)
        )
CREATE VIRTUAL TABLE "passages" USING fts5(
            text, heading, content = '', tokenize = 'porter unicode61'
        )
CREATE TABLE "passages_config"(k PRIMARY KEY, v) WITHOUT ROWID
CREATE TABLE "passages_data"(id INTEGER PRIMARY KEY, block BLOB)
CREATE TABLE "passages_docsize"(id INTEGER PRIMARY KEY, sz BLOB)
CREATE TABLE "passages_idx"(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID
CREATE TABLE text_slices (
            sha256 TEXT PRIMARY KEY,
            filing_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        )
CREATE TABLE version_blocks (
            version_id INTEGER PRIMARY KEY REFERENCES versions(id),
            data BLOB NOT NULL
        )
CREATE TABLE version_structure (
            version_id INTEGER PRIMARY KEY REFERENCES versions(id),
            data BLOB NOT NULL
        , spliced_on INTEGER REFERENCES versions(id))
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
            created_at TEXT NOT NULL, edits BLOB,
            UNIQUE (document_id, number)
        )
CREATE INDEX documents_series ON documents(series)
