/*
 * rxo-lifeline: a tiny supervisor between the host (a Node process using rx-orchestration) and one
 * command, so that nothing the command started outlives the host, whatever ends the host.
 *
 *   rxo-lifeline <host pid> <kill grace ms> <keep leftovers 0|1> [options] -- <file> <args...>
 *
 *   --marker <nonce>  terminal mode: once the command ended (and, with keep leftovers 0, its
 *                     leftovers are gone), write the end marker ESC ] 777 ; rxo-end ; <nonce> ;
 *                     <status> BEL to the terminal (this program's stdout), where <status> is the
 *                     exit code ("0".."255") or "s<signal number>" for a command killed by a signal;
 *                     then wait for SIGUSR1 (the host read it). <nonce>: 1 to 64 of [0-9A-Za-z].
 *   --stdin <path>    the command's stdin: <path> is opened (read-only) in the child before exec.
 *
 * The host spawns this program instead of the command, as the leader of a new process group (pipe
 * mode: `detached: true`; terminal mode: node-pty makes it a session leader). It then:
 *
 *  - becomes a child subreaper (PR_SET_CHILD_SUBREAPER), so descendants that leave the process
 *    group (setsid, double fork) and lose their parent are re-parented to it and stay findable;
 *  - watches the host through a pidfd (Linux 5.3+; otherwise it polls getppid() every 100 ms), so
 *    it learns of the host's death from any cause: SIGKILL, the OOM killer, abort(), any signal;
 *  - runs the command as its child (fork + execv, signal mask and dispositions reset), and waits.
 *
 * Events:
 *  - SIGTERM, SIGINT or SIGHUP (the host stopping the group): the group has the signal already, so
 *    it is forwarded to the live descendants OUTSIDE the group only, and those are SIGKILLed a
 *    little before the grace runs out. Group members are left to the host's own escalation, so the
 *    host's `forced` stays exact (a safety net SIGKILLs them 1 s after the grace if nobody did).
 *    No end marker is written after a stop: the host reads the end from this program's exit.
 *  - The command ended: with keep leftovers 0, every remaining descendant (in the group or not)
 *    gets SIGTERM (and SIGCONT), SIGKILL after the grace; once none is left, this program ends as
 *    the command did (its exit code, or the same signal, raised without a core dump). With keep
 *    leftovers 1 it ends at once (leftovers are then the user's, and no longer watched). With
 *    --marker it first writes the end marker and waits for SIGUSR1, a stop signal or the host's
 *    death, any of which ends it as the command did.
 *  - SIGUSR1 (terminal mode: the host read an end marker): the host is done with this run. Should
 *    the command still be running (a forged marker), it is SIGKILLed; no marker is written after.
 *  - The host died: SIGTERM to the group and every descendant, SIGKILL 500 ms later, then exit.
 *
 * Descendants are found by walking /proc (pid -> ppid) from this process. Linux only.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER 36
#endif

/** After the host died: SIGTERM, then SIGKILL this long after. */
#define HOST_DEATH_GRACE_MS 500
/** How often descendants are looked for while some are expected to end. */
#define TICK_MS 20
/** Without a pidfd: how often the parent is checked. */
#define PPID_POLL_MS 100
/** After a stop: group members still alive this long after the grace are SIGKILLed here. */
#define SAFETY_MS 1000

enum which { ALL, OUTSIDE };

struct proc {
  pid_t pid, ppid, pgrp;
  char live;
};

static pid_t self_pid, own_pgrp; /* own_pgrp is 0 unless this process leads its group */
static struct proc *procs;
static size_t nprocs, cap;

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/** Reads every process's ppid, pgrp and state from /proc into `procs`. */
static void scan(void) {
  nprocs = 0;
  DIR *dir = opendir("/proc");
  if (!dir) return;
  struct dirent *entry;
  char path[300], buf[512];
  while ((entry = readdir(dir))) {
    if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    buf[n] = '\0';
    /* "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses. */
    char *close_paren = strrchr(buf, ')');
    char state;
    int ppid, pgrp;
    if (!close_paren || sscanf(close_paren + 1, " %c %d %d", &state, &ppid, &pgrp) != 3) continue;
    if (nprocs == cap) {
      size_t next = cap ? cap * 2 : 512;
      struct proc *grown = realloc(procs, next * sizeof *procs);
      if (!grown) break;
      procs = grown;
      cap = next;
    }
    procs[nprocs].pid = atoi(entry->d_name);
    procs[nprocs].ppid = ppid;
    procs[nprocs].pgrp = pgrp;
    procs[nprocs].live = state != 'Z' && state != 'X';
    nprocs++;
  }
  closedir(dir);
}

static int by_pid(const void *a, const void *b) {
  pid_t x = ((const struct proc *)a)->pid, y = ((const struct proc *)b)->pid;
  return (x > y) - (x < y);
}

/**
 * Sends `sig` (0: none) to every live process that descends from this one, or (for ALL) is in its
 * group; OUTSIDE: only descendants outside the group. Returns how many there were.
 */
static int signal_tree(int sig, enum which which) {
  scan();
  if (nprocs == 0) return 0;
  char *mine = calloc(nprocs, 1);
  size_t *parent = malloc(nprocs * sizeof *parent);
  if (!mine || !parent) {
    free(mine);
    free(parent);
    return 0;
  }
  /* Sorted by pid (as /proc lists them, but not relied upon): parents are found by binary search. */
  qsort(procs, nprocs, sizeof *procs, by_pid);
  for (size_t i = 0; i < nprocs; i++) {
    size_t lo = 0, hi = nprocs;
    parent[i] = nprocs;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (procs[mid].pid < procs[i].ppid) lo = mid + 1;
      else hi = mid;
    }
    if (lo < nprocs && procs[lo].pid == procs[i].ppid) parent[i] = lo;
  }
  /* Mark descendants: passes until nothing changes (as many as the tree is deep). */
  int changed = 1;
  while (changed) {
    changed = 0;
    for (size_t i = 0; i < nprocs; i++) {
      if (mine[i] || procs[i].pid == self_pid) continue;
      if (procs[i].ppid == self_pid || (parent[i] < nprocs && mine[parent[i]])) mine[i] = changed = 1;
    }
  }
  free(parent);
  int count = 0;
  for (size_t i = 0; i < nprocs; i++) {
    if (!procs[i].live || procs[i].pid == self_pid) continue;
    int in_group = own_pgrp && procs[i].pgrp == own_pgrp;
    int pick = which == ALL ? (mine[i] || in_group) : (mine[i] && !in_group);
    if (!pick) continue;
    count++;
    if (sig) {
      kill(procs[i].pid, sig);
      if (sig != SIGKILL && sig != SIGCONT) kill(procs[i].pid, SIGCONT); /* a stopped process must wake to die */
    }
  }
  free(mine);
  return count;
}

static int child_status, child_done, no_children;
static pid_t child_pid;

/** Collects every exited child (orphans re-parented to us included). */
static void reap(void) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      if (pid == child_pid) {
        child_status = status;
        child_done = 1;
      }
      continue;
    }
    no_children = pid < 0 && errno == ECHILD;
    return;
  }
}

/** Ends this process as the command ended: its exit code, or killed by the same signal. */
static void exit_as_command(void) {
  if (child_done && WIFSIGNALED(child_status)) {
    int sig = WTERMSIG(child_status);
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig);
  }
  _exit(child_done && WIFEXITED(child_status) ? WEXITSTATUS(child_status) : 1);
}

static void usage(const char *why) {
  fprintf(stderr,
          "rxo-lifeline: %s\nusage: rxo-lifeline <host pid> <kill grace ms> <keep leftovers 0|1> "
          "[--marker <nonce>] [--stdin <path>] -- <file> <args...>\n",
          why);
  exit(2);
}

static long number(const char *text, const char *what) {
  char *end;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno || *text == '\0' || *end != '\0' || value < 0) {
    fprintf(stderr, "rxo-lifeline: %s must be a non-negative integer, received \"%s\"\n", what, text);
    exit(2);
  }
  return value;
}

/** The nonce goes into an escape sequence: 1 to 64 letters and digits, nothing else. */
static int valid_nonce(const char *nonce) {
  size_t length = strlen(nonce);
  if (length == 0 || length > 64) return 0;
  for (const char *c = nonce; *c; c++) {
    if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z'))) return 0;
  }
  return 1;
}

struct options {
  pid_t host;
  long grace;
  int keep;
  const char *nonce;      /* --marker: terminal mode */
  const char *stdin_path; /* --stdin */
  char **command;         /* file, args..., NULL */
};

static struct options parse(int argc, char **argv) {
  struct options o = {0};
  if (argc < 4) usage("wrong arguments");
  o.host = (pid_t)number(argv[1], "host pid");
  o.grace = number(argv[2], "kill grace ms");
  if (strcmp(argv[3], "0") != 0 && strcmp(argv[3], "1") != 0) usage("keep leftovers must be 0 or 1");
  o.keep = argv[3][0] == '1';
  if (o.host <= 1) usage("host pid must be greater than 1");
  int i = 4;
  for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
    const char *name = argv[i];
    const char **slot = strcmp(name, "--marker") == 0 ? &o.nonce : strcmp(name, "--stdin") == 0 ? &o.stdin_path : NULL;
    if (!slot) {
      fprintf(stderr, "rxo-lifeline: unknown option \"%s\" (expected --marker, --stdin or --)\n", name);
      exit(2);
    }
    if (*slot) {
      fprintf(stderr, "rxo-lifeline: %s given twice\n", name);
      exit(2);
    }
    if (i + 1 >= argc || strcmp(argv[i + 1], "--") == 0) {
      fprintf(stderr, "rxo-lifeline: %s needs a value\n", name);
      exit(2);
    }
    *slot = argv[i + 1];
  }
  if (i >= argc) usage("missing -- before the command");
  if (i + 1 >= argc) usage("missing command after --");
  if (o.nonce && !valid_nonce(o.nonce)) {
    fprintf(stderr, "rxo-lifeline: --marker nonce must be 1 to 64 letters or digits, received \"%s\"\n", o.nonce);
    exit(2);
  }
  if (o.stdin_path && o.stdin_path[0] == '\0') usage("--stdin path must not be empty");
  o.command = argv + i + 1;
  return o;
}

/**
 * A descriptor of our stdout (the terminal) of our own, made before stdio points at /dev/null: a
 * new open file description where possible, so that it can be non-blocking without changing the
 * command's (a paused host must never block this program in write(2)).
 */
static int open_terminal(void) {
  int fd = open("/proc/self/fd/1", O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0) return fd;
  return fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
}

/** The end marker for the command's status: its exit code, or s<signal number>. */
static int format_marker(char *out, size_t size, const char *nonce, int status) {
  if (WIFSIGNALED(status)) return snprintf(out, size, "\033]777;rxo-end;%s;s%d\007", nonce, WTERMSIG(status));
  return snprintf(out, size, "\033]777;rxo-end;%s;%d\007", nonce, WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

int main(int argc, char **argv) {
  struct options o = parse(argc, argv);
  pid_t host = o.host;
  long grace = o.grace;
  int keep = o.keep;

  self_pid = getpid();
  own_pgrp = getpgrp() == self_pid ? self_pid : 0;
  prctl(PR_SET_CHILD_SUBREAPER, 1);

  sigset_t watched, old;
  sigemptyset(&watched);
  int stops[] = {SIGTERM, SIGINT, SIGHUP};
  for (size_t i = 0; i < sizeof stops / sizeof *stops; i++) sigaddset(&watched, stops[i]);
  sigaddset(&watched, SIGCHLD);
  sigaddset(&watched, SIGUSR1);
  sigprocmask(SIG_BLOCK, &watched, &old);
  int sfd = signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) {
    perror("rxo-lifeline: signalfd");
    return 125;
  }

  int pidfd = (int)syscall(SYS_pidfd_open, host, 0);
  if (pidfd < 0 && errno == ESRCH) return 1; /* the host is gone already */
  /* Our parent still being the host proves the pidfd (opened after) names the host, not a reuse. */
  if (getppid() != host) return 1;
  if (pidfd >= 0) {
    struct pollfd probe = {pidfd, POLLIN, 0};
    if (poll(&probe, 1, 0) > 0) return 1;
  }

  int term = -1;
  if (o.nonce) {
    term = open_terminal();
    if (term < 0) {
      perror("rxo-lifeline: --marker: cannot keep the terminal (stdout)");
      return 125;
    }
    signal(SIGPIPE, SIG_IGN); /* a closed reader is an error from write(2), not our death */
  }

  child_pid = fork();
  if (child_pid < 0) {
    perror("rxo-lifeline: fork");
    return 125;
  }
  if (child_pid == 0) {
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (o.stdin_path) {
      int in = open(o.stdin_path, O_RDONLY | O_NOCTTY);
      if (in < 0 || (in != STDIN_FILENO && dup2(in, STDIN_FILENO) < 0)) {
        int error = errno;
        fprintf(stderr, "rxo-lifeline: cannot open stdin %s: %s\n", o.stdin_path, strerror(error));
        _exit(126);
      }
      if (in != STDIN_FILENO) close(in);
    }
    execv(o.command[0], o.command);
    int error = errno;
    fprintf(stderr, "rxo-lifeline: cannot run %s: %s\n", o.command[0], strerror(error));
    _exit(error == ENOENT ? 127 : 126);
  }
  (void)old;
  /* Hold none of the command's stdio: its pipes close when the command's tree lets go of them. */
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    for (int fd = 0; fd <= 2; fd++) dup2(null, fd);
    if (null > 2) close(null);
  }

  long long stop_at = 0, leftovers_at = 0, host_dead_at = 0;
  long long out_deadline_ms = grace - (grace / 4 < 100 ? grace / 4 : 100);
  int host_signalled = 0;
  /* Terminal mode: the command ended and nothing is left to wait for; the marker goes out. */
  int finished = 0, acked = 0;
  char marker[128];
  size_t marker_length = 0, marker_sent = 0;
  for (;;) {
    reap();
    long long t = now_ms();
    int timeout = -1;
    if (finished) {
      if (acked || host_dead_at || stop_at) exit_as_command();
      while (marker_sent < marker_length) {
        ssize_t n = write(term, marker + marker_sent, marker_length - marker_sent);
        if (n > 0) marker_sent += (size_t)n;
        else if (n < 0 && errno == EINTR) continue;
        else if (n < 0 && errno == EAGAIN) break;
        else exit_as_command(); /* nobody can read it: the host learns the end from our exit */
      }
      if (pidfd < 0) timeout = PPID_POLL_MS;
    } else if (host_dead_at) {
      if (!host_signalled) {
        host_signalled = 1;
        if (own_pgrp) kill(-own_pgrp, SIGTERM); /* blocked here: it only lands in the signalfd */
        signal_tree(SIGTERM, ALL);
      }
      int late = t >= host_dead_at + HOST_DEATH_GRACE_MS;
      if ((late ? signal_tree(SIGKILL, ALL) : signal_tree(0, ALL)) == 0 && (child_done || no_children)) {
        reap();
        exit_as_command();
      }
      timeout = TICK_MS;
    } else if (stop_at) {
      if (t >= stop_at + out_deadline_ms) signal_tree(SIGKILL, OUTSIDE);
      if (t >= stop_at + grace + SAFETY_MS) signal_tree(SIGKILL, ALL);
      if (child_done && (no_children || signal_tree(0, keep ? OUTSIDE : ALL) == 0)) exit_as_command();
      timeout = TICK_MS;
    } else if (child_done) {
      int settled = keep || no_children;
      if (!settled) {
        if (!leftovers_at) {
          leftovers_at = t;
          signal_tree(SIGTERM, ALL);
        }
        int late = t >= leftovers_at + grace;
        if ((late ? signal_tree(SIGKILL, ALL) : signal_tree(0, ALL)) == 0) {
          reap();
          settled = 1;
        }
      }
      if (settled && (term < 0 || acked)) exit_as_command();
      if (settled) {
        finished = 1;
        marker_length = (size_t)format_marker(marker, sizeof marker, o.nonce, child_status);
        timeout = 0; /* write it at once, in the branch above */
      } else {
        timeout = TICK_MS;
      }
    } else if (pidfd < 0) {
      timeout = PPID_POLL_MS;
    }

    int writing = finished && marker_sent < marker_length;
    struct pollfd fds[3] = {{sfd, POLLIN, 0}, {pidfd, POLLIN, 0}, {term, POLLOUT, 0}};
    if (pidfd < 0) fds[1].fd = -1; /* poll ignores negative descriptors */
    if (!writing) fds[2].fd = -1;
    int ready = poll(fds, 3, timeout);
    if (ready < 0 && errno != EINTR) timeout = TICK_MS;
    struct signalfd_siginfo info;
    while (read(sfd, &info, sizeof info) == (ssize_t)sizeof info) {
      int sig = (int)info.ssi_signo;
      if (sig == SIGCHLD || host_dead_at) continue;
      if (sig == SIGUSR1) {
        if (term >= 0) acked = 1;
        if (!child_done) kill(child_pid, SIGKILL);
        continue;
      }
      if (finished) {
        stop_at = stop_at ? stop_at : now_ms(); /* the command is over: nothing left to forward to */
        continue;
      }
      if (!stop_at) stop_at = now_ms();
      signal_tree(sig, OUTSIDE);
    }
    if (!host_dead_at && ((pidfd >= 0 && fds[1].revents) || (pidfd < 0 && getppid() != host))) {
      host_dead_at = now_ms();
    }
  }
}
