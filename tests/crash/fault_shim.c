/* fault_shim: an LD_PRELOAD library that counts, fails, shortens or interrupts the file
 * system calls of a process, for I/O-error injection tests.
 *
 * Only calls on paths under COLSNAP_FAULT_PATH (a prefix), and on file descriptors opened from
 * such paths, are touched; everything else (stdout, stderr, the loader) passes through. Without
 * COLSNAP_FAULT_PATH the shim does nothing.
 *
 *   COLSNAP_FAULT_PATH    path prefix of the files under test
 *   COLSNAP_FAULT_MODE    count (default) | fail | short | eintr | short+eintr | shrink
 *   COLSNAP_FAULT_CALL    fail mode: one of call_names below
 *   COLSNAP_FAULT_NTH     fail mode: which occurrence of that call fails (1-based)
 *   COLSNAP_FAULT_ERRNO   fail mode: the errno it fails with (number)
 *   COLSNAP_FAULT_REPORT  file the shim writes at exit: one "NAME COUNT" line per call, then
 *                         "injected N" (failures made), "short N" and "eintr N"
 *
 * shrink: right after the first successful mmap or pread of a tracked descriptor opened
 * read-only, that file is truncated to COLSNAP_FAULT_SHRINK_TO bytes (default 0), as `cp` over
 * it or `np.savez` to the same path would do while it is being read (a larger size extends it).
 *
 * short: every write/pwrite transfers between 1 and min(n, 100000) bytes (a pseudo-random
 * amount, fixed by the call's ordinal). eintr: every other write/pwrite fails with EINTR and
 * transfers nothing. A failed close still closes the descriptor (as Linux does).
 *
 * Under AddressSanitizer, load it after the sanitizer runtime (LD_PRELOAD="libasan.so shim"):
 * the runtime's interceptors then call into this shim as their "real" function. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* stat/lstat/readlink/unlink/opendir match by path; fstat/fchmod/fchown/mmap/pread by tracked
 * descriptor; readdir by a DIR* from a tracked opendir, unlinkat by its descriptor; getrandom
 * (no path) every call once COLSNAP_FAULT_PATH is set. */
enum call_id {
    c_open,
    c_write,
    c_pwrite,
    c_fsync,
    c_close,
    c_rename,
    c_mmap,
    c_pread,
    c_stat,
    c_lstat,
    c_fstat,
    c_readlink,
    c_fchmod,
    c_fchown,
    c_opendir,
    c_readdir,
    c_unlinkat,
    c_unlink,
    c_getrandom,
    c_count
};
static const char* const call_names[c_count] = {
    "open",    "write",   "pwrite",   "fsync",  "close",    "rename", "mmap",
    "pread",   "stat",    "lstat",    "fstat",  "readlink", "fchmod", "fchown",
    "opendir", "readdir", "unlinkat", "unlink", "getrandom"};

enum mode_id { m_count, m_fail, m_short, m_eintr, m_short_eintr, m_shrink };

#define MAX_FD 65536
static atomic_uchar tracked[MAX_FD];
static atomic_long counts[c_count];
static atomic_long injected, shortened, interrupted;
static atomic_int init_state; /* 0 not yet, 1 in progress, 2 done */

static char prefix[4096];
static size_t prefix_len;
static char report_path[4096];
static int mode = m_count;
static int fault_call = -1;
static long fault_nth = 0;
static int fault_errno = EIO;
static long shrink_to = 0;
static atomic_int shrunk;         /* shrink mode: the truncation was made */
static char read_only_path[4096]; /* shrink mode: the last tracked file opened read-only */

static void* next_symbol(const char* name) { return dlsym(RTLD_NEXT, name); }

#define REAL(type, name, ...)                                                                      \
    static type (*real_fn)(__VA_ARGS__);                                                           \
    if (real_fn == NULL) real_fn = (type(*)(__VA_ARGS__))next_symbol(name)

extern char** environ;

static void init(void) {
    int expected = 0;
    if (atomic_load(&init_state) == 2) return;
    /* The sanitizer runtime calls mmap through this shim while it starts, before libc has set
     * up the environment: stay inert (and undecided) until it has. */
    if (environ == NULL) return;
    if (!atomic_compare_exchange_strong(&init_state, &expected, 1)) {
        while (atomic_load(&init_state) != 2) {}
        return;
    }
    const char* p = getenv("COLSNAP_FAULT_PATH");
    if (p != NULL && strlen(p) < sizeof prefix) {
        strcpy(prefix, p);
        prefix_len = strlen(prefix);
    }
    const char* r = getenv("COLSNAP_FAULT_REPORT");
    if (r != NULL && strlen(r) < sizeof report_path) strcpy(report_path, r);
    const char* m = getenv("COLSNAP_FAULT_MODE");
    if (m != NULL) {
        if (strcmp(m, "fail") == 0) mode = m_fail;
        else if (strcmp(m, "short") == 0) mode = m_short;
        else if (strcmp(m, "eintr") == 0) mode = m_eintr;
        else if (strcmp(m, "short+eintr") == 0) mode = m_short_eintr;
        else if (strcmp(m, "shrink") == 0) mode = m_shrink;
    }
    const char* c = getenv("COLSNAP_FAULT_CALL");
    for (int i = 0; c != NULL && i < c_count; ++i)
        if (strcmp(c, call_names[i]) == 0) fault_call = i;
    const char* n = getenv("COLSNAP_FAULT_NTH");
    if (n != NULL) fault_nth = atol(n);
    const char* e = getenv("COLSNAP_FAULT_ERRNO");
    if (e != NULL) fault_errno = atoi(e);
    const char* t = getenv("COLSNAP_FAULT_SHRINK_TO");
    if (t != NULL) shrink_to = atol(t);
    atomic_store(&init_state, 2);
}

static int path_matches(const char* path) {
    init();
    return prefix_len > 0 && path != NULL && strncmp(path, prefix, prefix_len) == 0;
}

static int fd_tracked(int fd) {
    init();
    return prefix_len > 0 && fd >= 0 && fd < MAX_FD && atomic_load(&tracked[fd]);
}

/* Counts one call; returns 1 when this occurrence must fail (errno is then set). */
static int count_and_check(enum call_id id) {
    const long k = atomic_fetch_add(&counts[id], 1) + 1;
    if (mode == m_fail && fault_call == (int)id && k == fault_nth) {
        atomic_fetch_add(&injected, 1);
        errno = fault_errno;
        return 1;
    }
    return 0;
}

static void track(int fd, int on) {
    if (fd >= 0 && fd < MAX_FD) atomic_store(&tracked[fd], (unsigned char)on);
}

static int do_open(const char* name, int dirfd, const char* path, int flags, mode_t md) {
    REAL(int, name, int, const char*, int, ...);
    const int match = path_matches(path);
    if (match && count_and_check(c_open)) return -1;
    const int fd = real_fn(dirfd, path, flags, md);
    if (match && fd >= 0) track(fd, 1);
    if (match && fd >= 0 && (flags & O_ACCMODE) == O_RDONLY && strlen(path) < sizeof read_only_path)
        strcpy(read_only_path, path);
    return fd;
}

/* shrink mode: truncates the file being read, once. */
static void shrink_once(void) {
    int expected = 0;
    if (mode != m_shrink || read_only_path[0] == '\0') return;
    if (!atomic_compare_exchange_strong(&shrunk, &expected, 1)) return;
    REAL(int, "truncate", const char*, off_t);
    if (real_fn(read_only_path, (off_t)shrink_to) == 0) atomic_fetch_add(&injected, 1);
}

static mode_t mode_arg(int flags, va_list ap) {
    return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int openat(int dirfd, const char* path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    const mode_t md = mode_arg(flags, ap);
    va_end(ap);
    return do_open("openat", dirfd, path, flags, md);
}

int openat64(int dirfd, const char* path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    const mode_t md = mode_arg(flags, ap);
    va_end(ap);
    return do_open("openat64", dirfd, path, flags, md);
}

int open(const char* path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    const mode_t md = mode_arg(flags, ap);
    va_end(ap);
    return do_open("openat", AT_FDCWD, path, flags, md);
}

int open64(const char* path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    const mode_t md = mode_arg(flags, ap);
    va_end(ap);
    return do_open("openat64", AT_FDCWD, path, flags, md);
}

/* Decides how much of an n-byte write to do: >0 that many bytes, -1 fail with errno set. */
static long write_plan(enum call_id id, size_t n) {
    if (count_and_check(id)) return -1;
    const long k = atomic_load(&counts[c_write]) + atomic_load(&counts[c_pwrite]);
    if ((mode == m_eintr || mode == m_short_eintr) && k % 2 == 1) {
        atomic_fetch_add(&interrupted, 1);
        errno = EINTR;
        return -1;
    }
    if ((mode == m_short || mode == m_short_eintr) && n > 1) {
        const size_t cap = n < 100000 ? n : 100000;
        const size_t amount = 1 + (size_t)(((unsigned long)k * 2654435761ul) % cap);
        if (amount < n) {
            atomic_fetch_add(&shortened, 1);
            return (long)amount;
        }
    }
    return (long)n;
}

ssize_t write(int fd, const void* buf, size_t n) {
    REAL(ssize_t, "write", int, const void*, size_t);
    if (!fd_tracked(fd)) return real_fn(fd, buf, n);
    const long plan = write_plan(c_write, n);
    if (plan < 0) return -1;
    return real_fn(fd, buf, (size_t)plan);
}

static ssize_t do_pwrite(const char* name, int fd, const void* buf, size_t n, off_t off) {
    REAL(ssize_t, name, int, const void*, size_t, off_t);
    if (!fd_tracked(fd)) return real_fn(fd, buf, n, off);
    const long plan = write_plan(c_pwrite, n);
    if (plan < 0) return -1;
    return real_fn(fd, buf, (size_t)plan, off);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
    return do_pwrite("pwrite", fd, buf, n, off);
}
ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) {
    return do_pwrite("pwrite64", fd, buf, n, off);
}

int fsync(int fd) {
    REAL(int, "fsync", int);
    if (fd_tracked(fd) && count_and_check(c_fsync)) return -1;
    return real_fn(fd);
}

int fdatasync(int fd) {
    REAL(int, "fdatasync", int);
    if (fd_tracked(fd) && count_and_check(c_fsync)) return -1;
    return real_fn(fd);
}

int close(int fd) {
    REAL(int, "close", int);
    if (!fd_tracked(fd)) return real_fn(fd);
    track(fd, 0);
    const int fail = count_and_check(c_close);
    const int err = errno;
    const int rc = real_fn(fd);
    if (fail) {
        errno = err;
        return -1;
    }
    return rc;
}

int rename(const char* from, const char* to) {
    REAL(int, "rename", const char*, const char*);
    if ((path_matches(from) || path_matches(to)) && count_and_check(c_rename)) return -1;
    return real_fn(from, to);
}

int renameat(int fromfd, const char* from, int tofd, const char* to) {
    REAL(int, "renameat", int, const char*, int, const char*);
    if ((path_matches(from) || path_matches(to)) && count_and_check(c_rename)) return -1;
    return real_fn(fromfd, from, tofd, to);
}

static void* do_mmap(const char* name, void* addr, size_t len, int prot, int flags, int fd,
                     off_t off) {
    REAL(void*, name, void*, size_t, int, int, int, off_t);
    if (fd_tracked(fd) && count_and_check(c_mmap)) return MAP_FAILED;
    void* p = real_fn(addr, len, prot, flags, fd, off);
    if (p != MAP_FAILED && fd_tracked(fd)) shrink_once();
    return p;
}

void* mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
    return do_mmap("mmap", addr, len, prot, flags, fd, off);
}
void* mmap64(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
    return do_mmap("mmap64", addr, len, prot, flags, fd, off);
}

static ssize_t do_pread(const char* name, int fd, void* buf, size_t n, off_t off) {
    REAL(ssize_t, name, int, void*, size_t, off_t);
    if (!fd_tracked(fd)) return real_fn(fd, buf, n, off);
    if (count_and_check(c_pread)) return -1;
    const ssize_t r = real_fn(fd, buf, n, off);
    if (r > 0) shrink_once();
    return r;
}

ssize_t pread(int fd, void* buf, size_t n, off_t off) { return do_pread("pread", fd, buf, n, off); }
ssize_t pread64(int fd, void* buf, size_t n, off_t off) {
    return do_pread("pread64", fd, buf, n, off);
}

/* Path-matched calls: stat, lstat, readlink, unlink. */
#define PATH_CALL(ret, name, id, params, args)                                                     \
    ret name params {                                                                              \
        REAL(ret, #name, ARGTYPES_##name);                                                         \
        if (path_matches(path) && count_and_check(id)) return -1;                                  \
        return real_fn args;                                                                       \
    }
#define ARGTYPES_stat const char*, struct stat*
#define ARGTYPES_stat64 const char*, struct stat64*
#define ARGTYPES_lstat const char*, struct stat*
#define ARGTYPES_lstat64 const char*, struct stat64*
#define ARGTYPES_readlink const char*, char*, size_t
#define ARGTYPES_unlink const char*
PATH_CALL(int, stat, c_stat, (const char* path, struct stat* st), (path, st))
PATH_CALL(int, stat64, c_stat, (const char* path, struct stat64* st), (path, st))
PATH_CALL(int, lstat, c_lstat, (const char* path, struct stat* st), (path, st))
PATH_CALL(int, lstat64, c_lstat, (const char* path, struct stat64* st), (path, st))
PATH_CALL(ssize_t, readlink, c_readlink, (const char* path, char* buf, size_t n), (path, buf, n))
PATH_CALL(int, unlink, c_unlink, (const char* path), (path))

/* Descriptor-matched calls: fstat, fchmod, fchown. */
#define FD_CALL(ret, name, id, params, args)                                                       \
    ret name params {                                                                              \
        REAL(ret, #name, ARGTYPES_##name);                                                         \
        if (fd_tracked(fd) && count_and_check(id)) return -1;                                      \
        return real_fn args;                                                                       \
    }
#define ARGTYPES_fstat int, struct stat*
#define ARGTYPES_fstat64 int, struct stat64*
#define ARGTYPES_fchmod int, mode_t
#define ARGTYPES_fchown int, uid_t, gid_t
FD_CALL(int, fstat, c_fstat, (int fd, struct stat* st), (fd, st))
FD_CALL(int, fstat64, c_fstat, (int fd, struct stat64* st), (fd, st))
FD_CALL(int, fchmod, c_fchmod, (int fd, mode_t m), (fd, m))
FD_CALL(int, fchown, c_fchown, (int fd, uid_t u, gid_t g), (fd, u, g))

/* Directory streams opened on a tracked path (the stale-temp sweep). */
#define MAX_DIRS 64
static DIR* _Atomic tracked_dirs[MAX_DIRS];

static int dir_tracked(DIR* d) {
    for (int i = 0; d != NULL && i < MAX_DIRS; ++i)
        if (atomic_load(&tracked_dirs[i]) == d) return 1;
    return 0;
}

DIR* opendir(const char* path) {
    REAL(DIR*, "opendir", const char*);
    const int match = path_matches(path);
    if (match && count_and_check(c_opendir)) return NULL;
    DIR* d = real_fn(path);
    if (match && d != NULL) {
        for (int i = 0; i < MAX_DIRS; ++i) {
            DIR* expected = NULL;
            if (atomic_compare_exchange_strong(&tracked_dirs[i], &expected, d)) break;
        }
        track(dirfd(d), 1);
    }
    return d;
}

static struct dirent* do_readdir(const char* name, DIR* d) {
    REAL(struct dirent*, name, DIR*);
    if (dir_tracked(d) && count_and_check(c_readdir)) return NULL;
    return real_fn(d);
}

struct dirent* readdir(DIR* d) {
    return do_readdir("readdir", d);
}
struct dirent64* readdir64(DIR* d) {
    return (struct dirent64*)do_readdir("readdir64", d);
}

int closedir(DIR* d) {
    REAL(int, "closedir", DIR*);
    for (int i = 0; i < MAX_DIRS; ++i) {
        DIR* expected = d;
        if (atomic_compare_exchange_strong(&tracked_dirs[i], &expected, NULL)) track(dirfd(d), 0);
    }
    return real_fn(d);
}

int unlinkat(int dirfd, const char* path, int flags) {
    REAL(int, "unlinkat", int, const char*, int);
    if ((fd_tracked(dirfd) || path_matches(path)) && count_and_check(c_unlinkat)) return -1;
    return real_fn(dirfd, path, flags);
}

ssize_t getrandom(void* buf, size_t n, unsigned flags) {
    REAL(ssize_t, "getrandom", void*, size_t, unsigned);
    init();
    if (prefix_len > 0 && count_and_check(c_getrandom)) return -1;
    return real_fn(buf, n, flags);
}

__attribute__((destructor)) static void write_report(void) {
    init();
    if (report_path[0] == '\0') return;
    char text[2048];
    size_t len = 0;
    for (int i = 0; i < c_count; ++i)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s %ld\n", call_names[i],
                                atomic_load(&counts[i]));
    len += (size_t)snprintf(text + len, sizeof text - len, "injected %ld\nshort %ld\neintr %ld\n",
                            atomic_load(&injected), atomic_load(&shortened),
                            atomic_load(&interrupted));
    /* Straight to the next (real) functions: the report is not part of what is counted. */
    REAL(int, "openat", int, const char*, int, ...);
    const int fd = real_fn(AT_FDCWD, report_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    ssize_t (*real_write)(int, const void*, size_t) =
        (ssize_t(*)(int, const void*, size_t))next_symbol("write");
    int (*real_close)(int) = (int (*)(int))next_symbol("close");
    size_t done = 0;
    while (done < len) {
        const ssize_t w = real_write(fd, text + done, len - done);
        if (w <= 0) break;
        done += (size_t)w;
    }
    real_close(fd);
}
