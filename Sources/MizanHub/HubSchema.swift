/// The hub's PostgreSQL schema, as numbered migrations applied once each by
/// `mizan-hub migrate` (an administrator's connection). History tables
/// (links, sessions, deposits, entries, anomalies) are INSERT and SELECT
/// only for the hub's login role `mizan_hub`: a bug or an intruder in the
/// service cannot rewrite what kiosks sent.
public enum HubSchema {
    public static let loginRole = "mizan_hub"

    public static let migrations: [(version: Int, name: String, sql: String)] = [
        (
            1, "kiosks, links, the rows they cover, anomalies",
            """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mizan_hub') THEN CREATE ROLE mizan_hub LOGIN; END IF;
            END $$;
            CREATE TABLE kiosks (
              id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
              key_sha256 bytea NOT NULL CHECK (length(key_sha256) = 32),
              time_zone text NOT NULL,
              enrolled_at timestamptz NOT NULL DEFAULT now()
            );
            -- The only rows the service changes: where each kiosk's chain stands.
            CREATE TABLE kiosk_heads (
              kiosk text PRIMARY KEY REFERENCES kiosks,
              head_seq bigint NOT NULL CHECK (head_seq >= 0),
              head_hash text NOT NULL,
              last_contact timestamptz NOT NULL
            );
            CREATE TABLE links (
              kiosk text NOT NULL REFERENCES kiosks,
              seq bigint NOT NULL CHECK (seq >= 1),
              kind text NOT NULL CHECK (kind IN ('session_opened', 'session_closed', 'deposit', 'entry')),
              subject text NOT NULL,
              recorded_at_ms bigint NOT NULL,
              wall_clock_ms bigint NOT NULL,
              clock_synchronized boolean NOT NULL,
              clock_anomaly boolean NOT NULL,
              content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
              prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
              hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
              row_values jsonb NOT NULL,
              received_at timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (kiosk, seq)
            );
            CREATE TABLE sessions (
              kiosk text NOT NULL REFERENCES kiosks,
              id text NOT NULL,
              household_id bigint NOT NULL,
              card_uid text NOT NULL,
              opened_at_ms bigint NOT NULL,
              PRIMARY KEY (kiosk, id)
            );
            CREATE INDEX sessions_by_household ON sessions (kiosk, household_id);
            CREATE INDEX sessions_by_card ON sessions (card_uid, opened_at_ms);
            CREATE TABLE deposits (
              kiosk text NOT NULL REFERENCES kiosks,
              id text NOT NULL,
              session_id text,
              card_uid text,
              material text NOT NULL,
              net_g bigint,
              credited_g bigint NOT NULL CHECK (credited_g >= 0),
              credit bigint NOT NULL CHECK (credit >= 0),
              reason text NOT NULL,
              recorded_at_ms bigint NOT NULL,
              local_day date NOT NULL,
              PRIMARY KEY (kiosk, id)
            );
            CREATE INDEX deposits_by_day ON deposits (local_day, kiosk, material);
            CREATE INDEX deposits_by_card ON deposits (card_uid, local_day);
            CREATE TABLE entries (
              kiosk text NOT NULL REFERENCES kiosks,
              id bigint NOT NULL,
              kind text NOT NULL,
              deposit_id text NOT NULL,
              debit_account text NOT NULL,
              credit_account text NOT NULL,
              amount bigint NOT NULL CHECK (amount > 0),
              -- The household's card on either side (its balance is across kiosks).
              card_uid text,
              PRIMARY KEY (kiosk, id)
            );
            CREATE INDEX entries_by_card ON entries (card_uid);
            CREATE TABLE anomalies (
              id bigserial PRIMARY KEY,
              kind text NOT NULL CHECK (kind IN
                ('fork', 'broken_chain', 'cap_across_kiosks', 'card_too_fast', 'kiosk_silent',
                 'clock_unsynchronized')),
              kiosk text,
              seq bigint,
              card_uid text,
              local_day date,
              detail text NOT NULL,
              found_at timestamptz NOT NULL DEFAULT now(),
              UNIQUE NULLS NOT DISTINCT (kind, kiosk, seq, card_uid, local_day)
            );
            GRANT SELECT ON kiosks TO mizan_hub;
            GRANT SELECT, INSERT, UPDATE ON kiosk_heads TO mizan_hub;
            GRANT SELECT, INSERT ON links, sessions, deposits, entries, anomalies TO mizan_hub;
            GRANT USAGE ON SEQUENCE anomalies_id_seq TO mizan_hub;
            """
        ),
        (
            2, "kiosks' profiles; what a kiosk's own daily totals need",
            """
            -- What a kiosk's totals depend on besides its journal (its time zone,
            -- currency, materials' names), sent with each push; the latest is kept.
            CREATE TABLE kiosk_profiles (
              kiosk text PRIMARY KEY REFERENCES kiosks,
              time_zone text NOT NULL,
              currency text NOT NULL,
              currency_minor_unit_exponent int NOT NULL CHECK (currency_minor_unit_exponent BETWEEN 0 AND 4),
              materials jsonb NOT NULL CHECK (jsonb_typeof(materials) = 'array'),
              updated_at timestamptz NOT NULL DEFAULT now()
            );
            GRANT SELECT, INSERT, UPDATE ON kiosk_profiles TO mizan_hub;
            -- Households served are counted by household, as the kiosk counts them.
            ALTER TABLE deposits ADD COLUMN household_id bigint;
            UPDATE deposits d SET household_id = (l.row_values->>'household_id')::bigint
              FROM links l WHERE l.kiosk = d.kiosk AND l.kind = 'deposit' AND l.subject = d.id;
            -- Reversals are counted on the day they were recorded.
            ALTER TABLE entries ADD COLUMN recorded_at_ms bigint, ADD COLUMN local_day date;
            UPDATE entries e SET recorded_at_ms = l.recorded_at_ms,
                local_day = (to_timestamp(l.recorded_at_ms::double precision / 1000) AT TIME ZONE k.time_zone)::date
              FROM links l JOIN kiosks k ON k.id = l.kiosk
              WHERE l.kiosk = e.kiosk AND l.kind = 'entry' AND l.subject = e.id::text;
            CREATE INDEX entries_reversals_by_day ON entries (local_day, kiosk) WHERE kind = 'reversal';
            -- A day's chain head per kiosk: its last link recorded before the day ended.
            CREATE INDEX links_by_time ON links (kiosk, recorded_at_ms, seq);
            """
        ),
        (
            3, "a day's totals kept as deposits arrive",
            """
            -- Kept at ingest from the deposits inserted, in the same statement: a
            -- day's fleet totals read a few hundred rows, not the day's deposits.
            CREATE TABLE day_totals (
              local_day date NOT NULL,
              kiosk text NOT NULL REFERENCES kiosks,
              material text NOT NULL,
              reason text NOT NULL,
              deposits bigint NOT NULL CHECK (deposits > 0),
              grams bigint NOT NULL CHECK (grams >= 0),
              credit bigint NOT NULL CHECK (credit >= 0),
              PRIMARY KEY (local_day, kiosk, material, reason)
            );
            CREATE TABLE day_households (
              local_day date NOT NULL,
              kiosk text NOT NULL REFERENCES kiosks,
              household_id bigint NOT NULL,
              card_uid text,
              PRIMARY KEY (local_day, kiosk, household_id)
            );
            \(rollupBackfill)
            GRANT SELECT, INSERT, UPDATE ON day_totals TO mizan_hub;
            GRANT SELECT, INSERT ON day_households TO mizan_hub;
            """
        ),
        (
            4, "spending the credit: cooperatives, cashiers, PINs, redemptions",
            """
            CREATE TABLE cooperatives (
              id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
              name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
              created_at timestamptz NOT NULL DEFAULT now()
            );
            -- One login per cashier: a token shown once, kept as its SHA-256; revoked, never deleted.
            CREATE TABLE cashiers (
              id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9.-]{0,63}$'),
              cooperative text NOT NULL REFERENCES cooperatives,
              token_sha256 bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
              created_at timestamptz NOT NULL DEFAULT now(),
              revoked_at timestamptz
            );
            -- A household's PIN (scrypt), and how many wrong ones since the last right one.
            CREATE TABLE household_pins (
              card_uid text PRIMARY KEY CHECK (card_uid ~ '^[0-9A-F]{2,32}$'),
              pin_hash text NOT NULL,
              failures int NOT NULL DEFAULT 0 CHECK (failures >= 0),
              locked_until timestamptz,
              set_at timestamptz NOT NULL DEFAULT now()
            );
            -- Names as the kiosks registered them, sent with their pushes.
            CREATE TABLE household_names (
              card_uid text PRIMARY KEY,
              name text NOT NULL,
              blocked boolean NOT NULL,
              kiosk text NOT NULL REFERENCES kiosks,
              updated_at timestamptz NOT NULL DEFAULT now()
            );
            -- The head of the redemptions' hash chain: one row, locked by each redemption.
            CREATE TABLE redemption_head (
              one boolean PRIMARY KEY DEFAULT true CHECK (one),
              seq bigint NOT NULL,
              hash text NOT NULL
            );
            INSERT INTO redemption_head (seq, hash) VALUES (0, repeat('0', 64));
            -- Each row one balanced entry: a redemption debits the household and credits
            -- the cooperative; a void (a new row) does the reverse. Never updated.
            CREATE TABLE redemptions (
              seq bigint PRIMARY KEY CHECK (seq >= 1),
              kind text NOT NULL CHECK (kind IN ('redemption', 'void')),
              idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 8 AND 100),
              cooperative text NOT NULL REFERENCES cooperatives,
              cashier text NOT NULL REFERENCES cashiers,
              card_uid text NOT NULL,
              amount bigint NOT NULL CHECK (amount > 0),
              debit_account text NOT NULL,
              credit_account text NOT NULL,
              voids bigint UNIQUE REFERENCES redemptions,
              recorded_at_ms bigint NOT NULL,
              local_day date NOT NULL,
              prev_hash text NOT NULL,
              hash text NOT NULL UNIQUE,
              CHECK ((kind = 'void') = (voids IS NOT NULL))
            );
            CREATE INDEX redemptions_by_card ON redemptions (card_uid);
            CREATE INDEX redemptions_by_cooperative ON redemptions (cooperative, local_day);
            CREATE TABLE desk_audit (
              id bigserial PRIMARY KEY,
              at timestamptz NOT NULL DEFAULT now(),
              cashier text,
              cooperative text,
              action text NOT NULL,
              card_uid text,
              detail text NOT NULL
            );
            GRANT SELECT ON cooperatives, cashiers TO mizan_hub;
            GRANT SELECT ON household_pins TO mizan_hub;
            GRANT UPDATE (failures, locked_until) ON household_pins TO mizan_hub;
            GRANT SELECT, INSERT, UPDATE ON household_names TO mizan_hub;
            GRANT SELECT, UPDATE ON redemption_head TO mizan_hub;
            GRANT SELECT, INSERT ON redemptions, desk_audit TO mizan_hub;
            GRANT USAGE ON SEQUENCE desk_audit_id_seq TO mizan_hub;
            """
        ),
    ]

    /// Rebuilds the day rollups from the deposits held (migration 3; the
    /// benchmark's generated fleet). An administrator's connection.
    public static let rollupBackfill = """
        DELETE FROM day_totals;
        DELETE FROM day_households;
        INSERT INTO day_totals (local_day, kiosk, material, reason, deposits, grams, credit)
          SELECT local_day, kiosk, material, reason, count(*), coalesce(sum(CASE WHEN net_g > 0 THEN net_g ELSE 0 END), 0),
            coalesce(sum(credit), 0)
          FROM deposits GROUP BY local_day, kiosk, material, reason;
        INSERT INTO day_households (local_day, kiosk, household_id, card_uid)
          SELECT DISTINCT ON (local_day, kiosk, household_id) local_day, kiosk, household_id, card_uid
          FROM deposits WHERE reason IN ('credited', 'capped') AND household_id IS NOT NULL;
        """
}
