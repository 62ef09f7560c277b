#include "terminal_guard.h"

#include <signal.h>
#include <stddef.h>
#include <termios.h>
#include <unistd.h>

// Written once by hd_guard_terminal_against_crashes, before other threads start; read only when
// giving the terminal back.
static struct termios saved_modes;
static volatile sig_atomic_t have_saved_modes;

void hd_give_terminal_back(void) {
    if (have_saved_modes) tcsetattr(STDIN_FILENO, TCSANOW, &saved_modes);
    static const char reset[] = "\033[?1049l\033[?25h\033[0m\r\n";
    ssize_t written = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)written;  // nothing to do about it while dying
}

static void on_crash(int signal) {
    hd_give_terminal_back();
    raise(signal);  // SA_RESETHAND put the default action back: die as we would have
}

int hd_guard_terminal_against_crashes(void) {
    if (tcgetattr(STDIN_FILENO, &saved_modes) == 0) have_saved_modes = 1;
    struct sigaction action = {0};
    action.sa_handler = on_crash;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    const int signals[] = {SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    return 0;
}
