import Foundation
import MizanLedger
public import MizanReplication
import PostgresNIO

extension HubStore {
    /// Keeps what a kiosk says about itself (sent with each push), and the
    /// names of the households it registered; a time zone this hub cannot
    /// work with is refused, naming it.
    public func keepProfile(_ profile: KioskProfile, of kiosk: String) async throws {
        guard LocalCalendar(identifier: profile.timeZone) != nil else {
            throw HubError("kiosk \(kiosk)'s time zone \(profile.timeZone) is not known to this hub's zoneinfo")
        }
        guard (0...4).contains(profile.currencyMinorUnitExponent) else {
            throw HubError("kiosk \(kiosk)'s currency exponent \(profile.currencyMinorUnitExponent) is not 0…4")
        }
        let materials = String(decoding: try JSONEncoder().encode(profile.materials), as: UTF8.self)
        try await client.query(
            """
            INSERT INTO kiosk_profiles (kiosk, time_zone, currency, currency_minor_unit_exponent, materials)
            VALUES (\(kiosk), \(profile.timeZone), \(profile.currency), \(profile.currencyMinorUnitExponent),
              \(materials)::jsonb)
            ON CONFLICT (kiosk) DO UPDATE SET time_zone = excluded.time_zone, currency = excluded.currency,
              currency_minor_unit_exponent = excluded.currency_minor_unit_exponent, materials = excluded.materials,
              updated_at = now()
            WHERE (kiosk_profiles.time_zone, kiosk_profiles.currency, kiosk_profiles.currency_minor_unit_exponent,
              kiosk_profiles.materials)
              IS DISTINCT FROM (excluded.time_zone, excluded.currency, excluded.currency_minor_unit_exponent,
              excluded.materials)
            """, logger: logger)
        if let households = profile.households, !households.isEmpty {
            let names = String(decoding: try JSONEncoder().encode(households), as: UTF8.self)
            try await client.query(
                """
                INSERT INTO household_names (card_uid, name, blocked, kiosk)
                SELECT r.card_uid, r.name, r.blocked, \(kiosk)
                FROM jsonb_to_recordset(\(names)::jsonb) AS r(card_uid text, name text, blocked boolean)
                ON CONFLICT (card_uid) DO UPDATE SET name = excluded.name, blocked = excluded.blocked,
                  kiosk = excluded.kiosk, updated_at = now()
                WHERE (household_names.name, household_names.blocked) IS DISTINCT FROM (excluded.name, excluded.blocked)
                """, logger: logger)
        }
    }

    /// Every enrolled kiosk with its profile (nil before its first push).
    func profiles() async throws -> [(kiosk: String, timeZone: String, profile: KioskProfile?)] {
        var all: [(kiosk: String, timeZone: String, profile: KioskProfile?)] = []
        for try await (kiosk, enrolledZone, zone, currency, exponent, materials) in try await client.query(
            """
            SELECT k.id, k.time_zone, p.time_zone, p.currency, p.currency_minor_unit_exponent, p.materials::text
            FROM kiosks k LEFT JOIN kiosk_profiles p ON p.kiosk = k.id ORDER BY k.id
            """, logger: logger
        ).decode((String, String, String?, String?, Int?, String?).self) {
            var profile: KioskProfile?
            if let zone, let currency, let exponent, let materials,
                let names = try? JSONDecoder().decode([KioskProfile.MaterialName].self, from: Data(materials.utf8))
            {
                profile = KioskProfile(
                    timeZone: zone, currency: currency, currencyMinorUnitExponent: exponent, materials: names)
            }
            all.append((kiosk, profile?.timeZone ?? enrolledZone, profile))
        }
        return all
    }
}
