import MizanControl
import MizanCore
import MizanKiosk

/// What `status` and `watch` show: the kiosk's logic, the scale thread's
/// last view, the card reader's and lids' counters, published four times a
/// second for the control socket's clients.
extension KioskRuntime {
    func publishStatus(at now: Instant) {
        let status = kiosk.status
        let scale = flags.scaleSnapshot.value
        let weighing = scale.weighing
        let bounces = flags.lidBounces.withLock { $0 }
        let open = Set(status.openLids)
        let lastCard = kiosk.lastCard.map {
            CardReaderReport.LastCard(card: $0.card.description, holder: $0.holder, atMs: $0.at.millisecondsSinceEpoch)
        }
        statusSnapshot.set(KioskStatusReport(
            kiosk: configuration.kiosk.kioskID,
            inService: status.inService,
            faults: status.faults.map(\.description),
            session: status.session?.description,
            household: status.household?.rawValue,
            depositPhase: status.depositPhase.rawValue,
            priceVersion: status.priceVersion,
            awaitingCommit: status.depositsAwaitingCommit,
            scale: ScaleReport(
                samples: scale.samplesAccepted,
                divisionG: configuration.kiosk.weighing.source.divisionGrams,
                weightG: weighing?.indication?.value,
                stable: weighing?.isStable ?? false,
                zeroSet: weighing?.zeroEstablished ?? false,
                zeroOffsetMg: weighing?.zeroOffsetFromStartup.value,
                zeroBudgetMg: weighing?.zeroRangeBudget.value,
                faults: weighing?.faults.faults.map(\.description) ?? [],
                spreadMg: weighing?.windowSpread?.value,
                rawCounts: scale.rawCounts
            ),
            lids: configuration.bins.map { bin in
                LidReport(
                    bin: bin.bin.rawValue, open: open.contains(bin.bin),
                    sinceMs: kiosk.lidChangedAt[bin.bin]?.millisecondsSinceEpoch ?? startedAt,
                    bounces: bounces[bin.bin.rawValue] ?? 0
                )
            },
            cardReader: CardReaderReport(
                framesAccepted: flags.cardFramesAccepted.load(ordering: .relaxed),
                framesRejected: flags.cardFramesRejected.load(ordering: .relaxed),
                lastCard: lastCard
            ),
            outputsProblem: outputsProblem,
            ledgerProblem: kiosk.ledgerProblem,
            startedAtMs: startedAt
        ))
    }
}
