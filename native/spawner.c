/*
 * rxo-spawner: a Node-API addon that starts processes with posix_spawn(3) instead of libuv's
 * fork(2). glibc's posix_spawn clones with CLONE_VM | CLONE_VFORK: the child borrows the host's
 * memory until it execs, so no page table of the (large) Node address space is copied, which is
 * most of what a spawn costs a Node host.
 *
 *   init(onExit) -> spawner   onExit(pid, exitCode, signal) is called on the calling thread for
 *                             each child this spawner started once it ended (exactly one of the
 *                             two is >= 0). Each load of the module (jest's module registries,
 *                             two copies of the library, worker threads) makes its own.
 *   spawn(spawner, file, argv, envp, cwd, stdinPipe)
 *                             -> [pid, stdinFd (-1 without stdinPipe), stdoutFd, stderrFd], or a
 *                             positive errno number when the child could not be started (the
 *                             exec's own error included: missing file, E2BIG, ...).
 *   spawnTerminal(spawner, file, argv, envp, cwd, cols, rows)
 *                             -> [pid, masterFd], or a positive errno: the child on a new
 *                             pseudo-terminal of cols x rows (UTF-8 input mode), which is its
 *                             controlling terminal and its stdin, stdout and stderr; the master
 *                             (close-on-exec) is the caller's to read, write and close.
 *   ref(spawner) / unref(spawner)   whether its pending exits keep the event loop alive.
 *
 * The child is a session and process group leader (setsid, as Node's `detached: true`), every
 * signal back to its default disposition and none blocked, stdin /dev/null unless a pipe is
 * asked for, stdout and stderr pipes. Every descriptor made here is close-on-exec, so the child
 * holds only its three stdio descriptors of ours and no other child inherits them.
 *
 * Exits are collected by one waiter thread: a pidfd per child in an epoll set, then waitpid on that
 * pid only, so children Node started itself are never reaped here. Linux 5.3+ (pidfd_open).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <node_api.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/** One init(): where its children's exits go. Never freed: the waiter may still hold it. */
struct spawner {
  napi_threadsafe_function tsfn;
  int alive; /* 0 once its environment is gone (the waiter then drops the exit); under `lock` */
};

struct watched {
  pid_t pid;
  int pidfd;
  struct spawner *to;
};

struct ended {
  pid_t pid;
  int code, signal;
};

static int epoll_fd = -1;
static pthread_once_t started = PTHREAD_ONCE_INIT;
static int start_error;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

#define CHECK(call)                                              \
  do {                                                           \
    if ((call) != napi_ok) {                                     \
      napi_throw_error(env, NULL, "rxo-spawner: " #call " failed"); \
      return NULL;                                               \
    }                                                            \
  } while (0)

static void *waiter(void *unused) {
  (void)unused;
  struct epoll_event events[64];
  for (;;) {
    int n = epoll_wait(epoll_fd, events, 64, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return NULL;
    }
    for (int i = 0; i < n; i++) {
      struct watched *w = events[i].data.ptr;
      int status;
      pid_t got;
      do got = waitpid(w->pid, &status, WNOHANG);
      while (got < 0 && errno == EINTR);
      if (got == 0) continue; /* not ended yet (cannot happen once the pidfd is readable) */
      epoll_ctl(epoll_fd, EPOLL_CTL_DEL, w->pidfd, NULL);
      close(w->pidfd);
      struct ended *e = malloc(sizeof *e);
      if (e) {
        e->pid = w->pid;
        e->code = got > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        e->signal = got > 0 && WIFSIGNALED(status) ? WTERMSIG(status) : -1;
        if (got < 0) e->code = 1; /* someone else reaped it: ended, status unknown */
        pthread_mutex_lock(&lock);
        int sent = w->to->alive && napi_call_threadsafe_function(w->to->tsfn, e, napi_tsfn_nonblocking) == napi_ok;
        pthread_mutex_unlock(&lock);
        if (!sent) free(e);
      }
      free(w);
    }
  }
}

static void call_js(napi_env env, napi_value callback, void *context, void *data) {
  (void)context;
  struct ended *e = data;
  if (env && callback) {
    napi_value args[3], undefined;
    napi_create_int32(env, e->pid, &args[0]);
    napi_create_int32(env, e->code, &args[1]);
    napi_create_int32(env, e->signal, &args[2]);
    napi_get_undefined(env, &undefined);
    napi_call_function(env, undefined, callback, 3, args, NULL);
  }
  free(e);
}

static void start_waiter(void) {
  epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  pthread_t thread;
  if (epoll_fd < 0 || pthread_create(&thread, NULL, waiter, NULL) != 0) start_error = 1;
  else pthread_detach(thread);
}

/** The environment of a spawner is gone: its tsfn with it. */
static void spawner_gone(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  struct spawner *sp = data;
  pthread_mutex_lock(&lock);
  sp->alive = 0;
  pthread_mutex_unlock(&lock);
}

static napi_value init(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], name, result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  pthread_once(&started, start_waiter);
  if (start_error) {
    napi_throw_error(env, NULL, "rxo-spawner: cannot start the waiter thread");
    return NULL;
  }
  struct spawner *sp = calloc(1, sizeof *sp);
  if (!sp) {
    napi_throw_error(env, NULL, "rxo-spawner: out of memory");
    return NULL;
  }
  CHECK(napi_create_string_utf8(env, "rxo-spawner exits", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, sp, spawner_gone, NULL, call_js, &sp->tsfn));
  CHECK(napi_unref_threadsafe_function(env, sp->tsfn));
  sp->alive = 1;
  CHECK(napi_create_external(env, sp, NULL, NULL, &result));
  return result;
}

/** The spawner argument; NULL (an exception pending) when it is not one. */
static struct spawner *spawner_of(napi_env env, napi_value value) {
  void *data = NULL;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external || napi_get_value_external(env, value, &data) != napi_ok) {
    napi_throw_type_error(env, NULL, "rxo-spawner: the first argument must be what init() returned");
    return NULL;
  }
  return data;
}

static napi_value set_ref(napi_env env, napi_callback_info info) {
  void *data;
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, &data));
  struct spawner *sp = spawner_of(env, argv[0]);
  if (!sp) return NULL;
  if (data) CHECK(napi_ref_threadsafe_function(env, sp->tsfn));
  else CHECK(napi_unref_threadsafe_function(env, sp->tsfn));
  return NULL;
}

/** A JS string as a new C string; NULL (with an exception pending) on failure. */
static char *c_string(napi_env env, napi_value value) {
  size_t length;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "rxo-spawner: a string was expected");
    return NULL;
  }
  char *text = malloc(length + 1);
  if (text) napi_get_value_string_utf8(env, value, text, length + 1, &length);
  return text;
}

/** A JS array of strings as a NULL-terminated C array; NULL on failure. */
static char **c_strings(napi_env env, napi_value array) {
  uint32_t count;
  if (napi_get_array_length(env, array, &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "rxo-spawner: an array of strings was expected");
    return NULL;
  }
  char **list = calloc(count + 1, sizeof *list);
  for (uint32_t i = 0; list && i < count; i++) {
    napi_value item;
    napi_get_element(env, array, i, &item);
    if (!(list[i] = c_string(env, item))) {
      for (uint32_t j = 0; j < i; j++) free(list[j]);
      free(list);
      return NULL;
    }
  }
  return list;
}

static void free_strings(char **list) {
  if (!list) return;
  for (char **item = list; *item; item++) free(*item);
  free(list);
}

/** A close-on-exec pipe whose ends are both above stdio (so a dup2 onto 0-2 never hits itself). */
static int make_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) < 0) return errno;
  for (int i = 0; i < 2; i++) {
    if (fds[i] > 2) continue;
    int moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
    int error = errno;
    close(fds[i]);
    fds[i] = moved;
    if (moved < 0) return error;
  }
  return 0;
}

static void close_all(int *fds, int count) {
  for (int i = 0; i < count; i++)
    if (fds[i] >= 0) close(fds[i]);
}

/** Has the waiter report the child's end; when it cannot, the child is killed (it must not run unseen). */
static int watch(struct spawner *to, pid_t pid) {
  struct watched *w = malloc(sizeof *w);
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  struct epoll_event event = {.events = EPOLLIN, .data.ptr = w};
  if (!w || pidfd < 0 || (w->pid = pid, w->pidfd = pidfd, w->to = to, epoll_ctl(epoll_fd, EPOLL_CTL_ADD, pidfd, &event) < 0)) {
    int error = !w ? ENOMEM : errno;
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    if (pidfd >= 0) close(pidfd);
    free(w);
    return error;
  }
  return 0;
}

/**
 * posix_spawn of `file` with `actions` (then destroyed) as a session leader in `cwd` (none when
 * empty), every signal at its default and none blocked; 0 or an errno.
 */
static int spawn_leader(pid_t *pid, char *file, char **argv, char **envp, char *cwd, posix_spawn_file_actions_t *actions) {
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (cwd[0]) posix_spawn_file_actions_addchdir_np(actions, cwd);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  int error = posix_spawn(pid, file, actions, &attr, argv, envp);
  posix_spawn_file_actions_destroy(actions);
  posix_spawnattr_destroy(&attr);
  return error;
}

/** Starts the child; returns 0 or an errno. `fds`: in[2], out[2], err[2], all -1 on entry. */
static int start(struct spawner *to, char *file, char **argv, char **envp, char *cwd, int stdin_pipe, int fds[6], pid_t *pid) {
  int error;
  if ((stdin_pipe && (error = make_pipe(fds))) || (error = make_pipe(fds + 2)) || (error = make_pipe(fds + 4))) return error;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_pipe) posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
  else posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[3], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[5], 2);
  error = spawn_leader(pid, file, argv, envp, cwd, &actions);
  if (error) return error;
  /* The child's ends are its own now. */
  if (stdin_pipe) close(fds[0]);
  close(fds[3]);
  close(fds[5]);
  fds[0] = fds[3] = fds[5] = -1;
  return watch(to, *pid);
}

/** A pty pair for a child: the master (ours, close-on-exec) and the slave's path, sized, UTF-8. */
static int open_terminal(int cols, int rows, int *master, char *name, size_t name_size) {
  int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return errno;
  int error = grantpt(fd) || unlockpt(fd) ? errno : ptsname_r(fd, name, name_size);
  /* The slave opened once here, to set it up before the child sees it (then closed again). */
  int slave = error ? -1 : open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (!error && slave < 0) error = errno;
  if (!error) {
    struct winsize size = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    struct termios mode;
    if (ioctl(slave, TIOCSWINSZ, &size) < 0) error = errno;
    /* As node-pty's terminals: input is UTF-8 (erase removes a whole character). */
    else if (tcgetattr(slave, &mode) == 0) {
      mode.c_iflag |= IUTF8;
      if (tcsetattr(slave, TCSANOW, &mode) < 0) error = errno;
    }
  }
  if (slave >= 0) close(slave);
  if (error) {
    close(fd);
    return error;
  }
  *master = fd;
  return 0;
}

/**
 * Starts the child on a new terminal: it leads a new session whose controlling terminal is the
 * pty (opened as its stdin without O_NOCTTY after setsid, which posix_spawn does first), and has
 * it as stdin, stdout and stderr. Returns 0 or an errno; `master` is ours to read and write.
 */
static int start_terminal(struct spawner *to, char *file, char **argv, char **envp, char *cwd, int cols, int rows, int *master, pid_t *pid) {
  char name[128];
  int error = open_terminal(cols, rows, master, name, sizeof name);
  if (error) return error;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0);
  posix_spawn_file_actions_adddup2(&actions, 0, 1);
  posix_spawn_file_actions_adddup2(&actions, 0, 2);
  error = spawn_leader(pid, file, argv, envp, cwd, &actions);
  if (!error) error = watch(to, *pid);
  if (error) {
    close(*master);
    *master = -1;
  }
  return error;
}

/** The command of a spawn call: file, argv, envp, cwd (JS arguments 0 to 3 after the spawner). */
struct command {
  char *file, *cwd;
  char **args, **envp;
};

/** Reads the command; 0, or -1 with an exception pending (what was read is freed). */
static int read_command(napi_env env, napi_value *argv, struct command *c) {
  c->file = c_string(env, argv[0]);
  c->cwd = c->file ? c_string(env, argv[3]) : NULL;
  c->args = c->cwd ? c_strings(env, argv[1]) : NULL;
  c->envp = c->args ? c_strings(env, argv[2]) : NULL;
  return c->envp ? 0 : -1;
}

static void free_command(struct command *c) {
  free(c->file);
  free(c->cwd);
  free_strings(c->args);
  free_strings(c->envp);
}

/** A JS array of `count` int32s. */
static napi_value int_array(napi_env env, const int *values, uint32_t count) {
  napi_value result;
  CHECK(napi_create_array_with_length(env, count, &result));
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    CHECK(napi_create_int32(env, values[i], &item));
    CHECK(napi_set_element(env, result, i, item));
  }
  return result;
}

static napi_value spawn_child(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value all[6], result;
  CHECK(napi_get_cb_info(env, info, &argc, all, NULL, NULL));
  struct spawner *sp = spawner_of(env, all[0]);
  if (!sp) return NULL;
  napi_value *argv = all + 1;
  bool stdin_pipe = false;
  CHECK(napi_get_value_bool(env, argv[4], &stdin_pipe));
  struct command c;
  int fds[6] = {-1, -1, -1, -1, -1, -1};
  pid_t pid = -1;
  int error = read_command(env, argv, &c) ? -1 : start(sp, c.file, c.args, c.envp, c.cwd, stdin_pipe, fds, &pid);
  free_command(&c);
  if (error < 0) return NULL; /* an exception is pending */
  if (error) {
    close_all(fds, 6);
    CHECK(napi_create_int32(env, error, &result));
    return result;
  }
  int out[4] = {pid, fds[1], fds[2], fds[4]};
  return int_array(env, out, 4);
}

static napi_value spawn_terminal(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value all[7], result;
  CHECK(napi_get_cb_info(env, info, &argc, all, NULL, NULL));
  struct spawner *sp = spawner_of(env, all[0]);
  if (!sp) return NULL;
  napi_value *argv = all + 1;
  int32_t cols = 80, rows = 24;
  CHECK(napi_get_value_int32(env, argv[4], &cols));
  CHECK(napi_get_value_int32(env, argv[5], &rows));
  if (cols < 1 || rows < 1 || cols > 65535 || rows > 65535) {
    napi_throw_range_error(env, NULL, "rxo-spawner: cols and rows must be 1 to 65535");
    return NULL;
  }
  struct command c;
  int master = -1;
  pid_t pid = -1;
  int error = read_command(env, argv, &c) ? -1 : start_terminal(sp, c.file, c.args, c.envp, c.cwd, cols, rows, &master, &pid);
  free_command(&c);
  if (error < 0) return NULL; /* an exception is pending */
  if (error) {
    CHECK(napi_create_int32(env, error, &result));
    return result;
  }
  int out[2] = {pid, master};
  return int_array(env, out, 2);
}

NAPI_MODULE_INIT() {
  static int on = 1;
  struct { const char *name; napi_callback fn; void *data; } methods[] = {
    {"init", init, NULL}, {"spawn", spawn_child, NULL}, {"spawnTerminal", spawn_terminal, NULL}, {"ref", set_ref, &on}, {"unref", set_ref, NULL},
  };
  for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) {
    napi_value fn;
    if (napi_create_function(env, methods[i].name, NAPI_AUTO_LENGTH, methods[i].fn, methods[i].data, &fn) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, methods[i].name, fn) != napi_ok) return NULL;
  }
  return exports;
}
