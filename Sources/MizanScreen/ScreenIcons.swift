/// The screen's pictograms, one SVG sprite in the page (no request of its
/// own): each state's icon and each material's, drawn in currentColor.
enum ScreenIcons {
    static let sprite = """
        <svg xmlns="http://www.w3.org/2000/svg" class="sprite" aria-hidden="true">
        <symbol id="i-hand" viewBox="0 0 64 64"><path d="M22 58V30a4 4 0 0 1 8 0v-16a4 4 0 0 1 8 0v16-4a4 4 0 0 1 8 0v6a4 4 0 0 1 8 0v12c0 8-6 14-14 14H32c-5 0-8-2-10-4z" fill="none" stroke="currentColor" stroke-width="4" stroke-linejoin="round"/></symbol>
        <symbol id="i-card" viewBox="0 0 64 64"><rect x="6" y="14" width="40" height="28" rx="4" fill="none" stroke="currentColor" stroke-width="4"/><path d="M12 24h16M12 32h10" stroke="currentColor" stroke-width="4"/><path d="M50 20a14 14 0 0 1 0 16M56 14a22 22 0 0 1 0 28" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round"/></symbol>
        <symbol id="i-lid" viewBox="0 0 64 64"><path d="M12 28h40v28H12z" fill="none" stroke="currentColor" stroke-width="4"/><path d="M10 22l34-14 4 8-34 14z" fill="currentColor"/></symbol>
        <symbol id="i-drop" viewBox="0 0 64 64"><path d="M12 32h40v24H12z" fill="none" stroke="currentColor" stroke-width="4"/><path d="M32 4v20M24 16l8 8 8-8" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round"/></symbol>
        <symbol id="i-close" viewBox="0 0 64 64"><path d="M12 28h40v28H12z" fill="none" stroke="currentColor" stroke-width="4"/><path d="M8 20h48v6H8z" fill="currentColor"/><path d="M26 40l5 5 9-10" fill="none" stroke="currentColor" stroke-width="4"/></symbol>
        <symbol id="i-wave" viewBox="0 0 64 64"><circle cx="32" cy="32" r="26" fill="none" stroke="currentColor" stroke-width="4"/><circle cx="23" cy="26" r="3" fill="currentColor"/><circle cx="41" cy="26" r="3" fill="currentColor"/><path d="M20 38q12 12 24 0" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round"/></symbol>
        <symbol id="i-scale" viewBox="0 0 64 64"><path d="M8 50h48M14 50l4-20h28l4 20" fill="none" stroke="currentColor" stroke-width="4"/><path d="M32 30V14M24 14h16" stroke="currentColor" stroke-width="4" stroke-linecap="round"/></symbol>
        <symbol id="i-check" viewBox="0 0 64 64"><circle cx="32" cy="32" r="26" fill="none" stroke="currentColor" stroke-width="5"/><path d="M19 33l9 9 17-19" fill="none" stroke="currentColor" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/></symbol>
        <symbol id="i-cross" viewBox="0 0 64 64"><circle cx="32" cy="32" r="26" fill="none" stroke="currentColor" stroke-width="5"/><path d="M22 22l20 20M42 22L22 42" stroke="currentColor" stroke-width="6" stroke-linecap="round"/></symbol>
        <symbol id="i-heart" viewBox="0 0 64 64"><path d="M32 54L10 32a12 12 0 0 1 22-16 12 12 0 0 1 22 16z" fill="none" stroke="currentColor" stroke-width="5" stroke-linejoin="round"/></symbol>
        <symbol id="i-wrench" viewBox="0 0 64 64"><path d="M40 8a14 14 0 0 0-12 20L8 48l8 8 20-20a14 14 0 0 0 20-12l-8 4-6-6 4-8z" fill="none" stroke="currentColor" stroke-width="4" stroke-linejoin="round"/></symbol>
        <symbol id="i-bottle" viewBox="0 0 64 64"><path d="M26 4h12v8l6 10v36H20V22l6-10z" fill="none" stroke="currentColor" stroke-width="4" stroke-linejoin="round"/><path d="M20 32h24" stroke="currentColor" stroke-width="4"/></symbol>
        <symbol id="i-can" viewBox="0 0 64 64"><ellipse cx="32" cy="12" rx="14" ry="5" fill="none" stroke="currentColor" stroke-width="4"/><path d="M18 12v40c0 6 28 6 28 0V12" fill="none" stroke="currentColor" stroke-width="4"/></symbol>
        <symbol id="i-paper" viewBox="0 0 64 64"><path d="M14 6h26l10 10v42H14z" fill="none" stroke="currentColor" stroke-width="4" stroke-linejoin="round"/><path d="M22 28h20M22 36h20M22 44h14" stroke="currentColor" stroke-width="4"/></symbol>
        <symbol id="i-jar" viewBox="0 0 64 64"><path d="M22 6h20v8l4 6v36H18V20l4-6z" fill="none" stroke="currentColor" stroke-width="4" stroke-linejoin="round"/><path d="M24 30l6 6" stroke="currentColor" stroke-width="4"/></symbol>
        <symbol id="i-leaf" viewBox="0 0 64 64"><path d="M10 54C10 24 30 10 56 8c0 28-16 44-46 46z" fill="none" stroke="currentColor" stroke-width="4" stroke-linejoin="round"/><path d="M12 52l30-30" stroke="currentColor" stroke-width="4"/></symbol>
        <symbol id="i-shirt" viewBox="0 0 64 64"><path d="M22 8l10 6 10-6 16 10-6 10-6-4v32H20V24l-6 4-6-10z" fill="none" stroke="currentColor" stroke-width="4" stroke-linejoin="round"/></symbol>
        <symbol id="i-box" viewBox="0 0 64 64"><path d="M8 20l24-12 24 12v26L32 58 8 46z M8 20l24 12 24-12M32 32v26" fill="none" stroke="currentColor" stroke-width="4" stroke-linejoin="round"/></symbol>
        </svg>
        """
}
