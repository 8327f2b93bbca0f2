public import MizanCore

/// What the kiosk's hosts must do after a turn: the daemon drives lights,
/// buzzer, scale thread and systemd from these; the replay its virtual
/// scale and its account.
public enum KioskEffect: Hashable, Sendable {
    /// Shown to the household (lights and sound, later the screen).
    case feedback(Feedback)
    /// Whether zero-tracking may run.
    case scaleIdle(Bool)
    /// Service mode ended: set zero again at the next rest.
    case reestablishZero
    case outOfService([KioskFault])
    case backInService
    case sessionClosed(SessionClosing)
}
