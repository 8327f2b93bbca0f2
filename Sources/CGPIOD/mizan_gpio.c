// libgpiod v1 (1.4 … 1.6) implementation of mizan_gpio.h.
#include "mizan_gpio.h"

#include <errno.h>
#include <gpiod.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// v2's gpiod.h has no chip lookup by description and no GPIOD_API macro;
// rather than compile the v1 calls against it, stop with a clear message.
#if !defined(GPIOD_API)
#error "mizan_gpio.c implements the libgpiod v1 API; this gpiod.h looks like v2: add a v2 implementation behind mizan_gpio.h"
#endif

struct mizan_gpio_chip {
    struct gpiod_chip *chip;
};

struct mizan_gpio_line {
    struct gpiod_line *line;
};

int mizan_gpio_api_version(void) { return 1; }

const char *mizan_gpio_library_version(void) { return gpiod_version_string(); }

mizan_gpio_chip *mizan_gpio_chip_open(const char *name) {
    struct gpiod_chip *chip = gpiod_chip_open_lookup(name);
    if (chip == NULL) {
        return NULL;
    }
    mizan_gpio_chip *wrapper = malloc(sizeof *wrapper);
    if (wrapper == NULL) {
        gpiod_chip_close(chip);
        errno = ENOMEM;
        return NULL;
    }
    wrapper->chip = chip;
    return wrapper;
}

void mizan_gpio_chip_close(mizan_gpio_chip *chip) {
    if (chip == NULL) {
        return;
    }
    gpiod_chip_close(chip->chip);
    free(chip);
}

const char *mizan_gpio_chip_name(mizan_gpio_chip *chip) { return gpiod_chip_name(chip->chip); }

const char *mizan_gpio_chip_label(mizan_gpio_chip *chip) { return gpiod_chip_label(chip->chip); }

unsigned int mizan_gpio_chip_line_count(mizan_gpio_chip *chip) { return gpiod_chip_num_lines(chip->chip); }

int mizan_gpio_find_line(const char *line_name, char *chip_name, size_t chip_name_size, unsigned int *offset) {
    errno = 0;
    struct gpiod_line *line = gpiod_line_find(line_name);
    if (line == NULL) {
        if (errno == 0) {
            errno = ENOENT;
        }
        return -1;
    }
    struct gpiod_chip *chip = gpiod_line_get_chip(line);
    if (chip_name != NULL && chip_name_size > 0) {
        strncpy(chip_name, gpiod_chip_name(chip), chip_name_size - 1);
        chip_name[chip_name_size - 1] = '\0';
    }
    *offset = gpiod_line_offset(line);
    gpiod_chip_close(chip);
    return 0;
}

int mizan_gpio_line_consumer(mizan_gpio_chip *chip, unsigned int offset, char *consumer, size_t consumer_size) {
    struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
    if (line == NULL) {
        return -1;
    }
    if (gpiod_line_update(line) < 0) {
        return -1;
    }
    const char *name = gpiod_line_consumer(line);
    if (consumer != NULL && consumer_size > 0) {
        strncpy(consumer, name != NULL ? name : "", consumer_size - 1);
        consumer[consumer_size - 1] = '\0';
    }
    return 0;
}

static int bias_flags(int bias) {
    switch (bias) {
    case MIZAN_GPIO_BIAS_DISABLE:
        return GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
    case MIZAN_GPIO_BIAS_PULL_UP:
        return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
    case MIZAN_GPIO_BIAS_PULL_DOWN:
        return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    default:
        return 0;
    }
}

static int request_type(int edges) {
    switch (edges) {
    case MIZAN_GPIO_EDGES_RISING:
        return GPIOD_LINE_REQUEST_EVENT_RISING_EDGE;
    case MIZAN_GPIO_EDGES_FALLING:
        return GPIOD_LINE_REQUEST_EVENT_FALLING_EDGE;
    case MIZAN_GPIO_EDGES_BOTH:
        return GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES;
    default:
        return GPIOD_LINE_REQUEST_DIRECTION_INPUT;
    }
}

static mizan_gpio_line *request(mizan_gpio_chip *chip, unsigned int offset, struct gpiod_line_request_config *config,
                                int initial_value) {
    struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
    if (line == NULL) {
        return NULL;
    }
    if (gpiod_line_request(line, config, initial_value) < 0) {
        return NULL;
    }
    mizan_gpio_line *wrapper = malloc(sizeof *wrapper);
    if (wrapper == NULL) {
        gpiod_line_release(line);
        errno = ENOMEM;
        return NULL;
    }
    wrapper->line = line;
    return wrapper;
}

mizan_gpio_line *mizan_gpio_request_input(mizan_gpio_chip *chip, unsigned int offset, const char *consumer, int bias,
                                          int active_low, int edges) {
    struct gpiod_line_request_config config = {
        .consumer = consumer,
        .request_type = request_type(edges),
        .flags = bias_flags(bias) | (active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0),
    };
    return request(chip, offset, &config, 0);
}

mizan_gpio_line *mizan_gpio_request_output(mizan_gpio_chip *chip, unsigned int offset, const char *consumer,
                                           int active_low, int initial_value) {
    struct gpiod_line_request_config config = {
        .consumer = consumer,
        .request_type = GPIOD_LINE_REQUEST_DIRECTION_OUTPUT,
        .flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0,
    };
    return request(chip, offset, &config, initial_value);
}

void mizan_gpio_release(mizan_gpio_line *line) {
    if (line == NULL) {
        return;
    }
    gpiod_line_release(line->line);
    free(line);
}

int mizan_gpio_get(mizan_gpio_line *line) { return gpiod_line_get_value(line->line); }

int mizan_gpio_set(mizan_gpio_line *line, int value) { return gpiod_line_set_value(line->line, value ? 1 : 0); }

int mizan_gpio_wait_event(mizan_gpio_line *line, int64_t timeout_ns) {
    struct timespec timeout = {
        .tv_sec = (time_t)(timeout_ns / 1000000000),
        .tv_nsec = (long)(timeout_ns % 1000000000),
    };
    return gpiod_line_event_wait(line->line, &timeout);
}

int mizan_gpio_read_event(mizan_gpio_line *line, int *rising, int64_t *timestamp_ns) {
    struct gpiod_line_event event;
    if (gpiod_line_event_read(line->line, &event) < 0) {
        return -1;
    }
    *rising = event.event_type == GPIOD_LINE_EVENT_RISING_EDGE;
    *timestamp_ns = (int64_t)event.ts.tv_sec * 1000000000 + event.ts.tv_nsec;
    return 0;
}

int mizan_gpio_event_fd(mizan_gpio_line *line) { return gpiod_line_event_get_fd(line->line); }
