/// One state of the screen in one language, ready for the page to put in
/// its elements: text only (the page writes it with textContent, never as
/// markup), numbers and names marked to be isolated in `<bdi>`.
public struct ScreenMessage: Codable, Sendable, Hashable {
    /// A run of text; `isolated` runs are numbers, amounts and names,
    /// which keep their own direction inside the sentence.
    public struct Segment: Codable, Sendable, Hashable {
        public var text: String
        public var isolated = false

        public static func plain(_ text: String) -> Segment { Segment(text: text) }
        public static func isolated(_ text: String) -> Segment { Segment(text: text, isolated: true) }
    }

    /// A labelled figure: this deposit, the visit's total, the balance.
    public struct Figure: Codable, Sendable, Hashable {
        /// `deposit`, `session`, `balance`, `weight`: the element's id on the page.
        public var id: String
        public var label: String
        public var value: String
        public var unit: String
    }

    public var schema = "mizan.screen.v1"
    public var state: ScreenState
    public var language: String
    /// `rtl` or `ltr`.
    public var direction: String
    /// The symbol drawn beside the title (`#i-…` in the page's sprite).
    public var icon: String
    /// The band's colour: the state's, or the open bin's material's.
    public var accent: String
    /// The generated tone: `welcome`, `credited`, `refused`, or none.
    public var tone: String?
    /// Recorded prompts to try, most specific first (`rejected-below_minimum`, `rejected`).
    public var voice: [String]
    public var title: [Segment]
    public var lines: [[Segment]]
    public var figures: [Figure]
    public var advice: [Segment]
    public var decidedMonotonicNs: Int64?

    enum CodingKeys: String, CodingKey {
        case schema, state, language, direction, icon, accent, tone, voice, title, lines, figures, advice
        case decidedMonotonicNs = "decided_monotonic_ns"
    }
}
