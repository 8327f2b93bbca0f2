/// Every screen a household can see. The raw values name the screenshots
/// under docs/screens/ and the voice prompts' files.
public enum ScreenState: String, CaseIterable, Codable, Sendable {
    /// Nobody at the kiosk: how to use it, in pictures.
    case waiting
    /// A card was accepted: the household's name.
    case welcome
    /// A lid is open: which material goes in.
    case binOpen = "bin_open"
    /// The lid closed: the scale is settling.
    case weighing
    /// The deposit was committed with credit.
    case credited
    /// A deposit without a card: recorded, no credit.
    case donation
    /// The deposit earned nothing, and why.
    case rejected
    /// The card was not accepted, and why.
    case refused
    /// The session closed: its total and the balance.
    case goodbye
    /// The kiosk cannot credit now.
    case outOfService = "out_of_service"
}
