import GRDB

/// The ledger's schema as frozen, named migrations. A migration, once
/// released, is never edited: changes come as new migrations.
enum LedgerSchema {
    static let depositReasons =
        "'credited','capped','anonymous','below_minimum','negative','implausible','unstable','ambiguous_bin','fault','out_of_service','no_price','interrupted'"

    /// Tables whose rows are history: never updated, never deleted.
    static let appendOnlyTables = [
        "materials", "price_versions", "price_rates", "sessions", "session_closures",
        "deposits", "entries", "journal", "audit_log",
    ]

    // Every index is a b-tree page written to the WAL at each commit, and
    // commits are what the kiosk waits on. So: deposits are keyed by their
    // id alone (WITHOUT ROWID), and the journal and entries, whose recorded
    // time never decreases along their keys, are searched by time with a
    // binary search over the key instead of an index. A deposit's single
    // credit entry is written in the deposit's own transaction; `verify`
    // checks that no deposit has two.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger") { db in
            try db.execute(
                sql: """
                    CREATE TABLE ledger_meta (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    CREATE TABLE materials (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 32),
                        name_ar TEXT NOT NULL CHECK (name_ar <> ''),
                        name_en TEXT NOT NULL CHECK (name_en <> '')
                    );
                    CREATE TABLE households (
                        id INTEGER PRIMARY KEY,
                        card_uid TEXT NOT NULL UNIQUE
                            CHECK (length(card_uid) BETWEEN 2 AND 32 AND card_uid NOT GLOB '*[^0-9A-F]*'),
                        name TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('active', 'blocked')),
                        registered_at_ms INTEGER NOT NULL
                    );
                    CREATE TABLE price_versions (
                        version INTEGER PRIMARY KEY CHECK (version >= 1),
                        effective_from_ms INTEGER NOT NULL,
                        published_at_ms INTEGER NOT NULL,
                        published_by TEXT NOT NULL
                    );
                    CREATE TABLE price_rates (
                        version INTEGER NOT NULL REFERENCES price_versions(version),
                        material TEXT NOT NULL REFERENCES materials(id),
                        rate_per_kg INTEGER NOT NULL CHECK (rate_per_kg BETWEEN 0 AND 10000000),
                        PRIMARY KEY (version, material)
                    ) WITHOUT ROWID;
                    CREATE TABLE sessions (
                        id TEXT PRIMARY KEY NOT NULL,
                        kiosk_id TEXT NOT NULL,
                        sequence INTEGER NOT NULL CHECK (sequence >= 1),
                        household_id INTEGER NOT NULL REFERENCES households(id),
                        card_uid TEXT NOT NULL,
                        opened_at_ms INTEGER NOT NULL,
                        UNIQUE (kiosk_id, sequence)
                    );
                    CREATE TABLE session_closures (
                        session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions(id),
                        reason TEXT NOT NULL CHECK (reason IN
                            ('card_tapped_again', 'idle_timeout', 'out_of_service', 'shutdown', 'interrupted')),
                        closed_at_ms INTEGER NOT NULL,
                        deposits INTEGER NOT NULL CHECK (deposits >= 0),
                        credit INTEGER NOT NULL CHECK (credit >= 0),
                        credited_g INTEGER NOT NULL CHECK (credited_g >= 0)
                    );
                    CREATE TABLE deposits (
                        id TEXT PRIMARY KEY NOT NULL CHECK (id = kiosk_id || '-D' || sequence),
                        kiosk_id TEXT NOT NULL,
                        sequence INTEGER NOT NULL CHECK (sequence >= 1),
                        session_id TEXT REFERENCES sessions(id),
                        household_id INTEGER REFERENCES households(id),
                        bin TEXT NOT NULL,
                        material TEXT NOT NULL REFERENCES materials(id),
                        bins_opened TEXT NOT NULL,
                        baseline_g INTEGER,
                        final_g INTEGER,
                        net_g INTEGER,
                        credited_g INTEGER NOT NULL CHECK (credited_g >= 0),
                        price_version INTEGER REFERENCES price_versions(version),
                        rate_per_kg INTEGER CHECK (rate_per_kg >= 0),
                        credit INTEGER NOT NULL CHECK (credit >= 0),
                        currency TEXT NOT NULL,
                        carry_in INTEGER NOT NULL CHECK (carry_in BETWEEN 0 AND 999),
                        carry_out INTEGER NOT NULL CHECK (carry_out BETWEEN 0 AND 999),
                        reason TEXT NOT NULL CHECK (reason IN (\(depositReasons))),
                        recorded_at_ms INTEGER NOT NULL,
                        CHECK (credit = 0 OR reason IN ('credited', 'capped')),
                        CHECK (reason NOT IN ('credited', 'capped')
                            OR (household_id IS NOT NULL AND price_version IS NOT NULL AND net_g IS NOT NULL))
                    ) WITHOUT ROWID;
                    CREATE INDEX deposits_by_time ON deposits(recorded_at_ms);
                    CREATE INDEX deposits_by_household ON deposits(household_id, recorded_at_ms);
                    CREATE TABLE entries (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL CHECK (kind IN ('credit', 'reversal')),
                        deposit_id TEXT NOT NULL REFERENCES deposits(id),
                        reverses_entry INTEGER REFERENCES entries(id),
                        debit_account TEXT NOT NULL,
                        credit_account TEXT NOT NULL,
                        amount INTEGER NOT NULL CHECK (amount > 0),
                        currency TEXT NOT NULL,
                        memo TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        recorded_at_ms INTEGER NOT NULL,
                        CHECK (debit_account <> credit_account),
                        CHECK ((kind = 'reversal') = (reverses_entry IS NOT NULL))
                    );
                    CREATE UNIQUE INDEX one_reversal_per_entry ON entries(reverses_entry) WHERE reverses_entry IS NOT NULL;
                    CREATE TABLE balances (
                        account TEXT PRIMARY KEY NOT NULL,
                        balance INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE journal (
                        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                        kind TEXT NOT NULL CHECK (kind IN ('session_opened', 'session_closed', 'deposit', 'entry')),
                        subject TEXT NOT NULL,
                        recorded_at_ms INTEGER NOT NULL,
                        wall_clock_ms INTEGER NOT NULL,
                        clock_synchronized INTEGER NOT NULL CHECK (clock_synchronized IN (0, 1)),
                        clock_anomaly INTEGER NOT NULL CHECK (clock_anomaly IN (0, 1)),
                        content_hash BLOB NOT NULL,
                        prev_hash BLOB NOT NULL,
                        hash BLOB NOT NULL,
                        UNIQUE (kind, subject)
                    );
                    CREATE TABLE audit_log (
                        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                        kind TEXT NOT NULL CHECK (kind IN
                            ('calibration', 'configuration', 'price', 'household', 'reversal', 'clock', 'action')),
                        counter INTEGER NOT NULL CHECK (counter >= 1),
                        actor TEXT NOT NULL,
                        summary TEXT NOT NULL,
                        before TEXT,
                        after TEXT,
                        recorded_at_ms INTEGER NOT NULL,
                        wall_clock_ms INTEGER NOT NULL,
                        clock_synchronized INTEGER NOT NULL CHECK (clock_synchronized IN (0, 1)),
                        prev_hash BLOB NOT NULL,
                        hash BLOB NOT NULL,
                        UNIQUE (kind, counter)
                    );
                    CREATE INDEX audit_by_time ON audit_log(recorded_at_ms);
                    """)
            for table in appendOnlyTables {
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                        BEGIN SELECT RAISE(ABORT, '\(table) is append-only history: record a correction instead'); END;
                        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                        BEGIN SELECT RAISE(ABORT, '\(table) is append-only history: record a correction instead'); END;
                        """)
            }
        }
        // Why and since when the kiosk was out of service, for `mizanctl
        // events`, `doctor` and the cooperatives' health page.
        migrator.registerMigration("v2-fault-log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE fault_log (
                        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                        fault TEXT NOT NULL CHECK (length(fault) BETWEEN 1 AND 80),
                        raised INTEGER NOT NULL CHECK (raised IN (0, 1)),
                        recorded_at_ms INTEGER NOT NULL,
                        clock_synchronized INTEGER NOT NULL CHECK (clock_synchronized IN (0, 1))
                    );
                    CREATE INDEX fault_log_by_time ON fault_log(recorded_at_ms);
                    CREATE TRIGGER fault_log_no_update BEFORE UPDATE ON fault_log
                    BEGIN SELECT RAISE(ABORT, 'fault_log is append-only history: record a correction instead'); END;
                    CREATE TRIGGER fault_log_no_delete BEFORE DELETE ON fault_log
                    BEGIN SELECT RAISE(ABORT, 'fault_log is append-only history: record a correction instead'); END;
                    """)
        }
        // The cooperatives' access tokens for the HTTP service: only their
        // SHA-256 is kept; a token is revoked, never edited or deleted.
        migrator.registerMigration("v3-cooperative-tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cooperative_tokens (
                        id INTEGER PRIMARY KEY CHECK (id >= 1),
                        cooperative TEXT NOT NULL CHECK (length(cooperative) BETWEEN 1 AND 80),
                        token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
                        created_at_ms INTEGER NOT NULL,
                        created_by TEXT NOT NULL,
                        revoked_at_ms INTEGER
                    );
                    CREATE TRIGGER cooperative_tokens_only_revoked BEFORE UPDATE ON cooperative_tokens
                    WHEN OLD.revoked_at_ms IS NOT NULL OR NEW.revoked_at_ms IS NULL
                        OR NEW.id IS NOT OLD.id OR NEW.cooperative IS NOT OLD.cooperative
                        OR NEW.token_hash IS NOT OLD.token_hash OR NEW.created_at_ms IS NOT OLD.created_at_ms
                        OR NEW.created_by IS NOT OLD.created_by
                    BEGIN SELECT RAISE(ABORT, 'a token is only ever revoked, once'); END;
                    CREATE TRIGGER cooperative_tokens_no_delete BEFORE DELETE ON cooperative_tokens
                    BEGIN SELECT RAISE(ABORT, 'tokens are revoked, never deleted'); END;
                    """)
        }
        return migrator
    }
}
