import MizanKiosk
import MizanCore
import MizanHardware

/// The green and red LEDs and the buzzer: feedback patterns played over
/// time, and kernel lines requested again when their chip comes back.
extension KioskRuntime {
    func setUpOutputs() {
        let outputs = configuration.outputs
        lastOutputsAttempt = MonotonicClock.now()
        do {
            func line(_ address: GPIOLineAddress) throws(GPIOError) -> any DigitalOutput {
                try gpio.output(address, activeLow: outputs.activeLow)
            }
            lights = (
                SignalOutput(output: try line(outputs.green)), SignalOutput(output: try line(outputs.red)),
                SignalOutput(output: try line(outputs.buzzer))
            )
            if outputsProblem != nil {
                outputsProblem = nil
                daemonLog.log(.notice, "outputs: the lights and buzzer are back")
            }
        } catch {
            lights = nil
            if outputsProblem == nil {
                daemonLog.log(.error, "outputs: \(error) — the kiosk runs without lights and buzzer")
            }
            outputsProblem = "\(error)"
        }
    }

    func show(_ feedback: Feedback, at time: Instant) {
        guard let lights else { return }
        let patterns = FeedbackSignals.for(feedback)
        do {
            try lights.green.play(patterns.green, at: time)
            try lights.red.play(patterns.red, at: time)
            try lights.buzzer.play(patterns.buzzer, at: time)
        } catch {
            outputsLost(error)
        }
    }

    /// Whether a light or the buzzer is playing a pattern: the loop then
    /// steps every 20 ms to play it.
    func outputsAnimating(at time: Instant) -> Bool {
        guard let lights else { return false }
        return lights.green.isAnimating(at: time) || lights.red.isAnimating(at: time)
            || lights.buzzer.isAnimating(at: time)
    }

    func updateOutputs(at time: Instant) {
        guard let lights else { return }
        do {
            try lights.green.update(at: time)
            try lights.red.update(at: time)
            try lights.buzzer.update(at: time)
        } catch {
            outputsLost(error)
        }
    }

    /// Kernel lines that failed (their chip gone) are released; the loop
    /// asks for them again every 2 s until the chip is back. Feedback is
    /// only lights and sound: weighing goes on meanwhile.
    private func outputsLost(_ error: GPIOError) {
        lights = nil
        outputsProblem = "\(error)"
        daemonLog.log(.error, "outputs: \(error) — the kiosk runs without lights and buzzer until they come back")
    }

    func retryOutputsIfLost(at now: Instant) {
        guard lights == nil, now - lastOutputsAttempt >= .seconds(2) else { return }
        setUpOutputs()
    }
}
