import MizanControl
import MizanCore
import MizanKiosk

/// What `status` and `watch` show: the kiosk's logic, the scale thread's
/// last view, the card reader's and lids' counters, published four times a
/// second for the control socket's clients.
extension KioskRuntime {
    func publishStatus(at now: Instant) {
        let kioskStatus = kiosk.status
        var status = KioskStatusReport(
            kiosk: configuration.kiosk.kioskID, startedAtMs: startedAt,
            divisionG: configuration.kiosk.weighing.source.divisionGrams
        )
        status.inService = kioskStatus.inService
        status.faults = kioskStatus.faults.map(\.description)
        status.session = kioskStatus.session?.description
        status.household = kioskStatus.household?.rawValue
        status.depositPhase = kioskStatus.depositPhase.rawValue
        status.priceVersion = kioskStatus.priceVersion
        status.awaitingCommit = kioskStatus.depositsAwaitingCommit
        status.scale = scaleReport()
        let bounces = flags.lidBounces.withLock { $0 }
        let open = Set(kioskStatus.openLids)
        status.lids = configuration.bins.map { bin in
            var lid = LidReport(bin: bin.bin.rawValue)
            lid.open = open.contains(bin.bin)
            lid.sinceMs = kiosk.lidChangedAt[bin.bin]?.millisecondsSinceEpoch ?? startedAt
            lid.bounces = bounces[bin.bin.rawValue] ?? 0
            return lid
        }
        status.cardReader.framesAccepted = flags.cardFramesAccepted.load(ordering: .relaxed)
        status.cardReader.framesRejected = flags.cardFramesRejected.load(ordering: .relaxed)
        status.cardReader.lastCard = kiosk.lastCard.map {
            CardReaderReport.LastCard(card: $0.card.description, holder: $0.holder, atMs: $0.at.millisecondsSinceEpoch)
        }
        status.outputsProblem = outputsProblem
        status.ledgerProblem = kiosk.ledgerProblem
        statusSnapshot.set(status)
    }

    /// The scale thread's last view.
    private func scaleReport() -> ScaleReport {
        let snapshot = flags.scaleSnapshot.value
        var scale = ScaleReport(divisionG: configuration.kiosk.weighing.source.divisionGrams)
        scale.samples = snapshot.samplesAccepted
        scale.rawCounts = snapshot.rawCounts
        guard let weighing = snapshot.weighing else { return scale }
        scale.weightG = weighing.indication?.value
        scale.stable = weighing.isStable
        scale.zeroSet = weighing.zeroEstablished
        scale.zeroOffsetMg = weighing.zeroOffsetFromStartup.value
        scale.zeroBudgetMg = weighing.zeroRangeBudget.value
        scale.faults = weighing.faults.faults.map(\.description)
        scale.spreadMg = weighing.windowSpread?.value
        return scale
    }
}
