// Group ids of the calling thread alone. glibc's setresgid() changes every thread of the process
// (it signals them all), so a setgid helpdesk that gave up its group around a child's start or a
// user's file would take it from the console's other threads too, mid-write. The raw system call
// changes only the thread that makes it, as the kernel keeps credentials per thread.
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static inline int helpdesk_thread_setresgid(gid_t real, gid_t effective, gid_t saved) {
    return (int)syscall(SYS_setresgid, real, effective, saved);
}
