/// The configuration the daemon runs on when given none: a kiosk wired to
/// the simulator's devices (pseudo-terminal scale and card reader under
/// /tmp/mizan-sim/dev, simulated GPIO lines), so a newcomer can see Mizan
/// work without hardware. A real kiosk uses /etc/mizan/mizan.yaml.
public enum EmbeddedDefault {
    public static let yaml = """
        # Mizan — embedded default: a kiosk wired to the simulator.
        kiosk:
          id: beni-zeid-sim
          time_zone: Asia/Hebron
        currency:
          code: XBZ
          name_ar: رصيد بني زيد
          name_en: Beni Zeid credit
          minor_unit_exponent: 2
        gpio:
          backend: simulated
        scale:
          driver: serial
          serial:
            device: /tmp/mizan-sim/dev/scale
            baud: 9600
            protocol: continuous
          division_g: 10
          max_g: 60000
          stability_window_ms: 500
        bins:
          - {id: plastic, material: plastic, line: "name:LID_PLASTIC"}
          - {id: metal, material: metal, line: "name:LID_METAL"}
          - {id: paper, material: paper, line: "name:LID_PAPER"}
          - {id: glass, material: glass, line: "name:LID_GLASS"}
          - {id: organic, material: organic, line: "name:LID_ORGANIC"}
        card_reader:
          driver: rdm6300
          device: /tmp/mizan-sim/dev/rfid
          baud: 9600
          presence_gap_ms: 500
        outputs:
          green: "name:LED_GREEN"
          red: "name:LED_RED"
          buzzer: "name:BUZZER"
        deposit:
          minimum_e: 20
          maximum_g: 30000
          settle_timeout_ms: 8000
        session:
          idle_timeout_ms: 60000
        lids:
          stuck_timeout_ms: 120000
        paths:
          state_dir: /tmp/mizan-sim
          control_socket: /tmp/mizan-sim/control.sock

        """
}
