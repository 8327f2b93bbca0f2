// The floor for the daemon's idle CPU: the least a program can do to take
// the scale's stream from its serial port — poll the descriptor, read what
// came, find the line ends — and nothing else. `make bench` runs it beside
// mizand on an identical stream and prints the daemon's CPU as a ratio to it.
//
// Usage: mizan-floor-reader DEVICE
// Prints the lines it counted when it ends (SIGTERM or the port closing).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t stopping = 0;

static void stop(int signal_number) {
    (void)signal_number;
    stopping = 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: mizan-floor-reader DEVICE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        fprintf(stderr, "mizan-floor-reader: opening %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    // Raw, as the daemon sets its port: a read returns what came, not a
    // cooked line.
    struct termios settings;
    if (tcgetattr(fd, &settings) == 0) {
        cfmakeraw(&settings);
        tcsetattr(fd, TCSANOW, &settings);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = stop;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    // A parent's thread may have started us with these blocked.
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    sigprocmask(SIG_UNBLOCK, &stops, NULL);

    unsigned long lines = 0;
    char buffer[256];
    struct pollfd wanted = {.fd = fd, .events = POLLIN};
    while (!stopping) {
        int ready = poll(&wanted, 1, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (wanted.revents & (POLLHUP | POLLERR)) break;
        ssize_t count = read(fd, buffer, sizeof buffer);
        if (count < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            break;
        }
        if (count == 0) break;
        for (ssize_t index = 0; index < count; index++) {
            if (buffer[index] == '\n') lines++;
        }
    }
    printf("%lu lines\n", lines);
    return 0;
}
