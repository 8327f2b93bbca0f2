/// The screen's stylesheet, served as /screen.css (the page's policy
/// allows no inline style). Sized in vmin so one layout fits 800×480 and
/// 1024×600; text in the page's dark on light, band text white on colours
/// of at least 7:1 (`ScreenPalette`).
public enum ScreenStyle {
    /// The font files the stylesheet names, from Debian's fonts-noto-core.
    public static let fontFiles = [
        "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
    ]

    public static var css: String {
        """
        @font-face { font-family: "Mizan Arabic"; src: url("/fonts/NotoSansArabic-Regular.ttf"); font-weight: 400; font-display: block; }
        @font-face { font-family: "Mizan Arabic"; src: url("/fonts/NotoSansArabic-Bold.ttf"); font-weight: 700; font-display: block; }
        @font-face { font-family: "Mizan Latin"; src: url("/fonts/NotoSans-Regular.ttf"); font-weight: 400; font-display: block; }
        @font-face { font-family: "Mizan Latin"; src: url("/fonts/NotoSans-Bold.ttf"); font-weight: 700; font-display: block; }
        * { box-sizing: border-box; margin: 0; padding: 0; -webkit-user-select: none; user-select: none;
            -webkit-touch-callout: none; -webkit-tap-highlight-color: transparent; }
        html, body { height: 100%; overflow: hidden; touch-action: none; }
        body { font-family: "Mizan Arabic", "Mizan Latin"; color: \(ScreenPalette.text);
               background: \(ScreenPalette.page); cursor: none; }
        html[lang="en"] body { font-family: "Mizan Latin", "Mizan Arabic"; }
        .sprite { display: none; }
        main { height: 100%; display: flex; flex-direction: column; }
        #band { display: flex; align-items: center; gap: 3vmin; padding: 3vmin 5vmin; min-height: 30vh;
                color: \(ScreenPalette.bandText); background: \(ScreenPalette.accent(of: .waiting)); }
        #band svg { flex: none; width: 18vmin; height: 18vmin; }
        #title { font-size: 10vmin; font-weight: 700; line-height: 1.15; }
        #content { flex: 1; display: flex; flex-direction: column; justify-content: center; gap: 2.5vmin;
                   padding: 3vmin 5vmin; }
        .line { font-size: 6.5vmin; line-height: 1.3; }
        #figures { display: flex; gap: 3vmin; flex-wrap: wrap; }
        #figures:empty, #advice:empty { display: none; }
        .figure { flex: 1; min-width: 24%; border: 0.6vmin solid \(ScreenPalette.text); border-radius: 2vmin;
                  padding: 1.5vmin 2.5vmin; }
        .figure .label { display: block; font-size: 4.2vmin; }
        .figure .value { font-size: 8vmin; font-weight: 700; }
        .figure .unit { font-size: 3.8vmin; margin-inline-start: 1.5vmin; }
        #advice { font-size: 5.2vmin; font-weight: 700; border-inline-start: 1.5vmin solid \(ScreenPalette.text);
                  padding-inline-start: 2.5vmin; }
        #steps { display: none; list-style: none; grid-template-columns: repeat(4, 1fr); gap: 2.5vmin; }
        body[data-state="waiting"] #steps { display: grid; }
        #steps li { text-align: center; font-size: 4.6vmin; font-weight: 700; border: 0.6vmin solid \(ScreenPalette.text);
                    border-radius: 2vmin; padding: 2vmin 1vmin; }
        #steps svg { display: block; margin: 0 auto 1.5vmin; width: 14vmin; height: 14vmin; }
        #steps b { display: block; font-size: 5vmin; }
        #switch { position: fixed; inset-block-start: 1vmin; inset-inline-end: 1.5vmin; font-size: 3vmin;
                  color: \(ScreenPalette.bandText); text-decoration: underline; padding: 1vmin 2vmin; }
        bdi { unicode-bidi: isolate; }
        """
    }
}
