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
    ]

    /// Fills the day rollups from the deposits held (migration 3; the
    /// benchmark's generated fleet).
    public static let rollupBackfill = """
        INSERT INTO day_totals (local_day, kiosk, material, reason, deposits, grams, credit)
          SELECT local_day, kiosk, material, reason, count(*), coalesce(sum(CASE WHEN net_g > 0 THEN net_g ELSE 0 END), 0),
            coalesce(sum(credit), 0)
          FROM deposits GROUP BY local_day, kiosk, material, reason;
        INSERT INTO day_households (local_day, kiosk, household_id, card_uid)
          SELECT DISTINCT ON (local_day, kiosk, household_id) local_day, kiosk, household_id, card_uid
          FROM deposits WHERE reason IN ('credited', 'capped') AND household_id IS NOT NULL;
        """
}
