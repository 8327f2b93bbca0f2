// A small, stable C interface over libgpiod for Mizan's GPIO drivers.
//
// The Swift side sees only this header. Today it is implemented over
// libgpiod 1.6 (the v1 API of Debian bookworm); an implementation over the
// v2 API (Debian trixie) can sit behind the same functions: mizan_gpio.c
// selects at build time and refuses to build against an API it does not
// implement, instead of misbehaving.
//
// Conventions: functions returning a pointer return NULL on failure,
// functions returning int return -1; errno is set in both cases.
#ifndef MIZAN_GPIO_H
#define MIZAN_GPIO_H

#include <stddef.h>
#include <stdint.h>

typedef struct mizan_gpio_chip mizan_gpio_chip;
typedef struct mizan_gpio_line mizan_gpio_line;

enum mizan_gpio_bias {
    MIZAN_GPIO_BIAS_AS_IS = 0,
    MIZAN_GPIO_BIAS_DISABLE = 1,
    MIZAN_GPIO_BIAS_PULL_UP = 2,
    MIZAN_GPIO_BIAS_PULL_DOWN = 3,
};

enum mizan_gpio_edges {
    MIZAN_GPIO_EDGES_NONE = 0,
    MIZAN_GPIO_EDGES_RISING = 1,
    MIZAN_GPIO_EDGES_FALLING = 2,
    MIZAN_GPIO_EDGES_BOTH = 3,
};

/// The libgpiod API major version this shim was built against (1 or 2).
int mizan_gpio_api_version(void);
/// libgpiod's own version string.
const char *mizan_gpio_library_version(void);

/// Opens a chip by name ("gpiochip0"), path ("/dev/gpiochip0") or label.
mizan_gpio_chip *mizan_gpio_chip_open(const char *name);
void mizan_gpio_chip_close(mizan_gpio_chip *chip);
const char *mizan_gpio_chip_name(mizan_gpio_chip *chip);
const char *mizan_gpio_chip_label(mizan_gpio_chip *chip);
unsigned int mizan_gpio_chip_line_count(mizan_gpio_chip *chip);

/// Finds a line by its name on any chip: writes the chip's name and the
/// line's offset. Returns 0 when found, -1 with errno ENOENT when not.
int mizan_gpio_find_line(const char *line_name, char *chip_name, size_t chip_name_size, unsigned int *offset);

/// Who holds a line (empty when free). Returns -1 on error.
int mizan_gpio_line_consumer(mizan_gpio_chip *chip, unsigned int offset, char *consumer, size_t consumer_size);

/// Requests an input, with bias, active-low and edge events. EBUSY when
/// another consumer holds the line.
mizan_gpio_line *mizan_gpio_request_input(mizan_gpio_chip *chip, unsigned int offset, const char *consumer,
                                          int bias, int active_low, int edges);
/// Requests an output with an initial (logical) value.
mizan_gpio_line *mizan_gpio_request_output(mizan_gpio_chip *chip, unsigned int offset, const char *consumer,
                                           int active_low, int initial_value);
void mizan_gpio_release(mizan_gpio_line *line);

/// The logical value (active-low applied): 0 or 1, or -1.
int mizan_gpio_get(mizan_gpio_line *line);
int mizan_gpio_set(mizan_gpio_line *line, int value);

/// Waits for an edge event: 1 when one is ready, 0 on timeout, -1 on error.
int mizan_gpio_wait_event(mizan_gpio_line *line, int64_t timeout_ns);
/// Reads one edge event: rising (1) or falling (0), with the kernel's
/// timestamp in nanoseconds (CLOCK_MONOTONIC on current kernels).
int mizan_gpio_read_event(mizan_gpio_line *line, int *rising, int64_t *timestamp_ns);
/// A file descriptor that becomes readable when events are pending.
int mizan_gpio_event_fd(mizan_gpio_line *line);

#endif
