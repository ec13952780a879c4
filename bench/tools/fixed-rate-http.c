/*
 * A fixed-rate HTTP/1.1 load generator for bench/l7-overhead: keep-alive connections on
 * loopback, each sending GET requests on its own schedule (rate / connections per second,
 * the connections' schedules staggered evenly), one request in flight per connection.
 *
 * Latency is measured in nanoseconds from the moment a request was due, not from when it was
 * sent: a request held back by a late answer on its connection counts the wait, so a stall
 * shows in the tail instead of being hidden by sending less (coordinated omission). It also
 * prints the service time (from the actual send).
 *
 * Why not hey: hey rounds latencies to 0.1 ms, which at a 2 ms p99 is the size of the 5% goal
 * being measured, and its own Go runtime takes a third of a core at 10k requests/s, adding
 * noise to the machine's CPU figure. This loop takes a few percent of one core.
 *
 * Usage: fixed-rate-http <port> <connections> <requests/s> <seconds> [path]
 * Output: one line of key=value pairs (requests, errors, statuses, percentiles in µs).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 1024
#define BUFFER_BYTES 8192

struct connection {
  int fd;
  int64_t due_ns;     /* when its next request is due */
  int64_t sent_ns;    /* when the request in flight was written (0: none in flight) */
  int64_t request_due_ns;
  size_t have;        /* bytes of the answer read so far */
  char buf[BUFFER_BYTES];
};

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int compare_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int open_connection(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

/* Bytes of a complete answer at the start of buf (headers and Content-Length body), or 0. */
static size_t complete_answer(const char *buf, size_t have, int *status) {
  const char *end = memmem(buf, have, "\r\n\r\n", 4);
  if (end == NULL) return 0;
  size_t header = (size_t)(end - buf) + 4;
  long body = 0;
  for (const char *p = buf; p < end; p++) {
    if ((p == buf || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) {
      body = strtol(p + 15, NULL, 10);
      break;
    }
  }
  if (have < header + (size_t)body) return 0;
  *status = (have >= 12 && memcmp(buf, "HTTP/1.", 7) == 0) ? atoi(buf + 9) : 0;
  return header + (size_t)body;
}

static int64_t percentile(const int64_t *sorted, size_t n, double q) {
  if (n == 0) return 0;
  size_t i = (size_t)(q * (double)(n - 1));
  return sorted[i];
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s <port> <connections> <requests/s> <seconds> [path]\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]), connections = atoi(argv[2]);
  double rate = atof(argv[3]), seconds = atof(argv[4]);
  const char *path = argc > 5 ? argv[5] : "/";
  if (connections < 1 || connections > MAX_CONNECTIONS || rate <= 0 || seconds <= 0) {
    fprintf(stderr, "connections must be 1-%d, rate and seconds above 0\n", MAX_CONNECTIONS);
    return 2;
  }
  char request[512];
  int request_len = snprintf(request, sizeof request,
                             "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: vigil-bench\r\n\r\n", path, port);
  int64_t interval = (int64_t)(1e9 * connections / rate);
  size_t capacity = (size_t)(rate * seconds * 1.1) + 1024, count = 0;
  int64_t *latency = malloc(capacity * sizeof *latency), *service = malloc(capacity * sizeof *service);
  struct connection *conns = calloc((size_t)connections, sizeof *conns);
  int epfd = epoll_create1(0);
  /* Wakes the loop when the next request is due, to the microsecond (epoll_wait counts in ms). */
  int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  if (latency == NULL || service == NULL || conns == NULL || epfd < 0 || timer < 0) return 1;
  struct epoll_event timer_event = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
  epoll_ctl(epfd, EPOLL_CTL_ADD, timer, &timer_event);
  int64_t start = now_ns(), stop = start + (int64_t)(seconds * 1e9);
  for (int i = 0; i < connections; i++) {
    conns[i].fd = open_connection(port);
    if (conns[i].fd < 0) {
      fprintf(stderr, "connect to 127.0.0.1:%d: %s\n", port, strerror(errno));
      return 1;
    }
    conns[i].due_ns = start + interval * i / connections;
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(epfd, EPOLL_CTL_ADD, conns[i].fd, &ev);
  }
  long errors = 0, status_2xx = 0, status_other = 0, late_sends = 0;
  struct epoll_event events[64];
  for (;;) {
    int64_t now = now_ns();
    int64_t next = INT64_MAX;
    int idle = 1;
    for (int i = 0; i < connections; i++) {
      struct connection *c = &conns[i];
      if (c->sent_ns != 0) {
        idle = 0;
        continue;
      }
      if (c->due_ns >= stop) continue;
      idle = 0;
      if (c->due_ns <= now) {
        if (write(c->fd, request, (size_t)request_len) != request_len) {
          errors++;
          c->due_ns += interval;
          continue;
        }
        if (now - c->due_ns > interval) late_sends++;
        c->request_due_ns = c->due_ns;
        c->sent_ns = now;
        c->due_ns += interval;
      } else if (c->due_ns < next) {
        next = c->due_ns;
      }
    }
    if (idle) break;
    if (next != INT64_MAX) {
      struct itimerspec at = {.it_value = {.tv_sec = next / 1000000000LL, .tv_nsec = next % 1000000000LL}};
      timerfd_settime(timer, TFD_TIMER_ABSTIME, &at, NULL);
    }
    int n = epoll_wait(epfd, events, 64, 100);
    int64_t received = now_ns();
    for (int e = 0; e < n; e++) {
      if (events[e].data.u32 == UINT32_MAX) {
        uint64_t expirations;
        if (read(timer, &expirations, sizeof expirations) < 0 && errno != EAGAIN) return 1;
        continue;
      }
      struct connection *c = &conns[events[e].data.u32];
      ssize_t got = read(c->fd, c->buf + c->have, BUFFER_BYTES - c->have);
      if (got <= 0) {
        /* The server ended the connection (its keep-alive limit): a request in flight is an error. */
        if (c->sent_ns != 0) errors++;
        epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->fd = open_connection(port);
        if (c->fd < 0) {
          fprintf(stderr, "reconnect to 127.0.0.1:%d: %s\n", port, strerror(errno));
          return 1;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = events[e].data.u32};
        epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
        c->sent_ns = 0;
        c->have = 0;
        continue;
      }
      c->have += (size_t)got;
      int status = 0;
      size_t used = complete_answer(c->buf, c->have, &status);
      if (used == 0) {
        if (c->have == BUFFER_BYTES) {
          fprintf(stderr, "answer larger than %d bytes\n", BUFFER_BYTES);
          return 1;
        }
        continue;
      }
      if (c->sent_ns == 0) continue; /* an answer nobody asked for */
      if (status >= 200 && status < 300) status_2xx++; else status_other++;
      if (count < capacity) {
        latency[count] = received - c->request_due_ns;
        service[count] = received - c->sent_ns;
        count++;
      }
      memmove(c->buf, c->buf + used, c->have - used);
      c->have -= used;
      c->sent_ns = 0;
    }
  }
  double elapsed = (double)(now_ns() - start) / 1e9;
  qsort(latency, count, sizeof *latency, compare_i64);
  qsort(service, count, sizeof *service, compare_i64);
  printf("requests=%zu seconds=%.3f rps=%.1f status_2xx=%ld status_other=%ld errors=%ld late_sends=%ld "
         "p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f service_p50_us=%.1f service_p99_us=%.1f\n",
         count, elapsed, (double)count / elapsed, status_2xx, status_other, errors, late_sends,
         percentile(latency, count, 0.5) / 1e3, percentile(latency, count, 0.9) / 1e3,
         percentile(latency, count, 0.99) / 1e3, percentile(latency, count, 0.999) / 1e3,
         count ? latency[count - 1] / 1e3 : 0.0, percentile(service, count, 0.5) / 1e3,
         percentile(service, count, 0.99) / 1e3);
  for (int i = 0; i < connections; i++) close(conns[i].fd);
  return 0;
}
