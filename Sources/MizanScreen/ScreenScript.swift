/// The page's script, served as /screen.js. It renders each message the
/// web process sends over Server-Sent Events (text only, with
/// textContent), plays a generated tone and, when recorded, a voice
/// prompt; it reconnects by itself and shows the out-of-service screen
/// when nothing has been heard for 30 s. It asks nothing of any other
/// origin and never reloads the page, except to go back to the kiosk's
/// language after two minutes in the technicians' one.
public enum ScreenScript {
    public static let silenceMs = 30_000
    static let languageReturnMs = 120_000

    public static var javascript: String {
        """
        "use strict";
        (function () {
          const body = document.body;
          const language = body.dataset.lang;
          const home = body.dataset.home;
          const voices = new Set((body.dataset.voices || "").split(" ").filter(Boolean));
          const offline = JSON.parse(body.dataset.offline);
          const initial = JSON.parse(body.dataset.initial);
          const band = document.getElementById("band");
          const icon = document.getElementById("icon");
          const title = document.getElementById("title");
          const lines = document.getElementById("lines");
          const figures = document.getElementById("figures");
          const advice = document.getElementById("advice");
          let source = null;
          let lastHeard = Date.now();
          let shown = null;
          let audio = null;

          function write(parent, segments) {
            parent.replaceChildren();
            for (const segment of segments) {
              if (segment.isolated) {
                const isolated = document.createElement("bdi");
                isolated.textContent = segment.text;
                parent.appendChild(isolated);
              } else {
                parent.appendChild(document.createTextNode(segment.text));
              }
            }
          }

          function render(message) {
            // No sound for what was already showing (a reconnect's snapshot, the page's first paint).
            const changed = shown !== null && (shown.state !== message.state
              || JSON.stringify(shown.title) !== JSON.stringify(message.title)
              || JSON.stringify(shown.figures) !== JSON.stringify(message.figures));
            body.dataset.state = message.state;
            document.documentElement.lang = message.language;
            document.documentElement.dir = message.direction;
            band.style.backgroundColor = message.accent;
            icon.setAttribute("href", "#" + message.icon);
            write(title, message.title);
            lines.replaceChildren();
            for (const line of message.lines) {
              const paragraph = document.createElement("p");
              paragraph.className = "line";
              write(paragraph, line);
              lines.appendChild(paragraph);
            }
            figures.replaceChildren();
            for (const figure of message.figures) {
              const box = document.createElement("div");
              box.className = "figure";
              box.id = "figure-" + figure.id;
              const label = document.createElement("span");
              label.className = "label";
              label.textContent = figure.label;
              const value = document.createElement("bdi");
              value.className = "value";
              value.textContent = figure.value;
              const unit = document.createElement("span");
              unit.className = "unit";
              unit.textContent = figure.unit;
              box.append(label, value, unit);
              figures.appendChild(box);
            }
            write(advice, message.advice);
            shown = message;
            if (changed) sound(message);
          }

          const tones = { welcome: [523, 659, 784], credited: [660, 880], refused: [330, 220] };
          function sound(message) {
            const notes = tones[message.tone];
            if (notes) {
              try {
                audio = audio || new AudioContext();
                let at = audio.currentTime + 0.02;
                for (const frequency of notes) {
                  const oscillator = audio.createOscillator();
                  const gain = audio.createGain();
                  oscillator.frequency.value = frequency;
                  gain.gain.setValueAtTime(0.0001, at);
                  gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
                  gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.17);
                  oscillator.connect(gain).connect(audio.destination);
                  oscillator.start(at);
                  oscillator.stop(at + 0.18);
                  at += 0.19;
                }
                if (audio.state === "suspended") audio.resume().catch(function () {});
              } catch (error) {
                audio = null;
              }
            }
            const prompt = message.voice.find(function (name) { return voices.has(name); });
            if (prompt) {
              setTimeout(function () {
                new Audio("/voice/" + prompt + ".ogg").play().catch(function () {});
              }, notes ? 450 : 0);
            }
          }

          function connect() {
            if (source) source.close();
            source = new EventSource("/events?lang=" + language);
            source.addEventListener("screen", function (event) {
              lastHeard = Date.now();
              render(JSON.parse(event.data));
            });
            source.addEventListener("heartbeat", function () { lastHeard = Date.now(); });
            source.onerror = function () {
              if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
            };
          }

          setInterval(function () {
            if (Date.now() - lastHeard > \(silenceMs)) {
              lastHeard = Date.now();
              render(offline);
              connect();
            }
          }, 1000);
          document.addEventListener("contextmenu", function (event) { event.preventDefault(); });
          document.addEventListener("selectstart", function (event) { event.preventDefault(); });
          if (language !== home) {
            setTimeout(function () { location.replace("/?lang=" + home); }, \(languageReturnMs));
          }
          render(initial);
          connect();
        })();
        """
    }
}
