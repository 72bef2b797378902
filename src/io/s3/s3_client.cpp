#include "io/s3/s3_client_internal.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

namespace sparkify::io::s3_internal {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
// A Content-Length above this is not trusted with a buffer made up front.
constexpr uint64_t kMaxPreallocated = uint64_t{4} << 30;
// How long the batch loop sleeps at most before it looks at `cancel` and
// the retry timers again.
constexpr std::chrono::milliseconds kPollInterval{100};
// Idle multi handles (each with its own connection cache) kept for later
// batches.
constexpr size_t kIdleMultis = 4;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

double unit_random() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// Failures of the connection that a new attempt may not see: dropped or
// refused connections, timeouts, bodies cut short.
bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// Collects a response body, straight into its final padded buffer when the
// server announced the length.
class BodyBuffer {
 public:
  void reset() {
    bytes_ = Bytes();
    filled_ = 0;
    preallocated_ = false;
    spill_.clear();
  }

  void expect(uint64_t length) {
    if (length > kMaxPreallocated) return;
    reset();
    bytes_ = Bytes(static_cast<size_t>(length));
    preallocated_ = true;
  }

  void append(const char* data, size_t size) {
    if (preallocated_ && filled_ + size <= bytes_.size()) {
      std::memcpy(bytes_.data() + filled_, data, size);
      filled_ += size;
      return;
    }
    if (preallocated_) {
      spill_.assign(bytes_.data(), filled_);
      preallocated_ = false;
      bytes_ = Bytes();
    }
    spill_.append(data, size);
  }

  Bytes take() {
    if (preallocated_) {
      if (filled_ < bytes_.size()) bytes_.truncate(filled_);
      preallocated_ = false;
      return std::move(bytes_);
    }
    Bytes out = Bytes::copy_of(spill_);
    spill_.clear();
    return out;
  }

 private:
  Bytes bytes_;
  size_t filled_ = 0;
  bool preallocated_ = false;
  std::string spill_;
};

// One request and the state of its current attempt.
struct Transfer {
  Transfer(Request request_in, size_t index_in, const S3Options& options)
      : request(std::move(request_in)), index(index_in) {
    url = object_url(options, request.bucket, request.key, canonical_query(request.query));
    bool has_content_type = false;
    for (const auto& header : request.headers) {
      headers = curl_slist_append(headers, header.c_str());
      if (equals_ignoring_case(header.substr(0, header.find(':')), "content-type")) has_content_type = true;
    }
    // libcurl would label a POST body as a form.
    if (request.method == "POST" && !has_content_type) {
      headers = curl_slist_append(headers, "Content-Type: application/xml");
    }
    if (!options.no_sign_request) {
      // libcurl 7.88 neither sends this header nor hashes an upload body; it
      // signs the value given here as the payload hash.
      std::string hash = request.body.empty() ? std::string(kEmptySha256) : sha256_hex(request.body);
      headers = curl_slist_append(headers, ("x-amz-content-sha256: " + hash).c_str());
      if (!options.session_token.empty()) {
        headers = curl_slist_append(headers, ("x-amz-security-token: " + options.session_token).c_str());
      }
    }
  }
  ~Transfer() { curl_slist_free_all(headers); }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  void reset_attempt() {
    upload_offset = 0;
    content_length.reset();
    etag.clear();
    bucket_region.clear();
    body.reset();
    error_buffer[0] = '\0';
  }

  Request request;
  size_t index;
  std::string url;
  curl_slist* headers = nullptr;
  int attempts = 0;
  // The current attempt.
  size_t upload_offset = 0;
  std::optional<uint64_t> content_length;
  std::string etag;
  std::string bucket_region;
  BodyBuffer body;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<Transfer*>(user)->body.append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.substr(0, 5) == "HTTP/") {
    // A new response begins (after a 100 Continue, or a retried request).
    transfer->content_length.reset();
    transfer->etag.clear();
    transfer->bucket_region.clear();
    transfer->body.reset();
    return size * count;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  std::string_view name = line.substr(0, colon);
  std::string_view value = trim(line.substr(colon + 1));
  if (equals_ignoring_case(name, "content-length")) {
    uint64_t length = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (error == std::errc() && end == value.data() + value.size()) {
      transfer->content_length = length;
      if (transfer->request.method != "HEAD") transfer->body.expect(length);
    }
  } else if (equals_ignoring_case(name, "etag")) {
    transfer->etag = std::string(value);
  } else if (equals_ignoring_case(name, "x-amz-bucket-region")) {
    transfer->bucket_region = std::string(value);
  }
  return size * count;
}

size_t on_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view rest = transfer->request.body.substr(transfer->upload_offset);
  size_t chunk = std::min(rest.size(), size * count);
  std::memcpy(buffer, rest.data(), chunk);
  transfer->upload_offset += chunk;
  return chunk;
}

int on_seek(void* user, curl_off_t offset, int origin) {
  auto* transfer = static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > transfer->request.body.size()) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  transfer->upload_offset = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

void prepare(CURL* easy, Transfer& transfer, const S3Options& options, const std::string& sigv4_provider) {
  curl_easy_reset(easy);
  transfer.reset_attempt();
  curl_easy_setopt(easy, CURLOPT_URL, transfer.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  // An object key is not a file path: "a/../b" names its own object.
  curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "sparkify-etl");
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  if (options.request_timeout.count() > 0) {
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout.count()));
  }
  if (options.stall_timeout.count() > 0) {
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.stall_timeout.count()));
  }
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers);

  const std::string& method = transfer.request.method;
  if (method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (method == "PUT") {
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(transfer.request.body.size()));
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, on_upload);
    curl_easy_setopt(easy, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, on_seek);
    curl_easy_setopt(easy, CURLOPT_SEEKDATA, &transfer);
  } else if (method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(transfer.request.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer.request.body.empty() ? "" : transfer.request.body.data());
  } else if (method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  if (!options.no_sign_request) {
    curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, sigv4_provider.c_str());
    curl_easy_setopt(easy, CURLOPT_USERNAME, options.access_key_id.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, options.secret_access_key.c_str());
  }
}

Response finish(CURL* easy, Transfer& transfer, CURLcode code) {
  Response response;
  response.transport_ok = code == CURLE_OK;
  if (!response.transport_ok) {
    std::string_view words = transfer.error_buffer[0] != '\0' ? std::string_view(transfer.error_buffer)
                                                               : std::string_view(curl_easy_strerror(code));
    response.transport_error = std::string(trim(words));
  }
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  response.status = status;
  response.body = transfer.body.take();
  response.content_length = transfer.content_length;
  response.etag = std::move(transfer.etag);
  response.bucket_region = std::move(transfer.bucket_region);
  if (response.transport_ok && (status < 200 || status >= 300 || transfer.request.error_in_ok)) {
    if (auto error = parse_error(response.body.view())) response.error = std::move(*error);
  }
  return response;
}

Verdict verdict_of(const Response& response, CURLcode code) {
  return classify(response.transport_ok, is_transient(code), response.status, response.error.code);
}

// A multi handle, its connection cache and the easy handles it drives.
struct MultiContext {
  explicit MultiContext(size_t max_connections) : multi(curl_multi_init()) {
    auto connections = static_cast<long>(max_connections);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, connections);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, connections);
  }
  ~MultiContext() {
    for (CURL* easy : idle) curl_easy_cleanup(easy);
    curl_multi_cleanup(multi);
  }
  MultiContext(const MultiContext&) = delete;
  MultiContext& operator=(const MultiContext&) = delete;

  CURL* take_easy() {
    if (idle.empty()) return curl_easy_init();
    CURL* easy = idle.back();
    idle.pop_back();
    return easy;
  }

  CURLM* multi;
  std::vector<CURL*> idle;
};

}  // namespace

// Handles kept between requests so that their connections stay open.
struct Client::Pools {
  ~Pools() {
    for (CURL* easy : easy_handles) curl_easy_cleanup(easy);
  }

  std::mutex mutex;
  std::vector<CURL*> easy_handles;                     // GUARDED_BY(mutex)
  std::vector<std::unique_ptr<MultiContext>> multis;  // GUARDED_BY(mutex)
  size_t max_idle_easy = 64;
  std::string sigv4_provider;
};

Client::Client(S3Options options) : options_(std::move(options)), pools_(std::make_unique<Pools>()) {
  global_init();
  options_.max_connections = std::max<size_t>(1, options_.max_connections);
  options_.max_attempts = std::max(1, options_.max_attempts);
  pools_->max_idle_easy = options_.max_connections;
  // The full provider string: left to itself, libcurl takes the service and
  // region from the host name, which is wrong for bucket.s3.region hosts.
  pools_->sigv4_provider = "aws:amz:" + options_.region + ":s3";
}

Client::~Client() = default;

Response Client::send(const Request& request) {
  Transfer transfer(request, 0, options_);
  CURL* easy = nullptr;
  {
    std::lock_guard lock(pools_->mutex);
    if (!pools_->easy_handles.empty()) {
      easy = pools_->easy_handles.back();
      pools_->easy_handles.pop_back();
    }
  }
  if (easy == nullptr) easy = curl_easy_init();
  Response response;
  for (int attempt = 1;; ++attempt) {
    prepare(easy, transfer, options_, pools_->sigv4_provider);
    CURLcode code = curl_easy_perform(easy);
    response = finish(easy, transfer, code);
    response.attempts = attempt;
    if (verdict_of(response, code) != Verdict::kRetry || attempt >= options_.max_attempts) break;
    retries_.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::sleep_for(
        retry_delay(attempt, options_.retry_base_delay, options_.retry_max_delay, unit_random()));
  }
  std::lock_guard lock(pools_->mutex);
  if (pools_->easy_handles.size() < pools_->max_idle_easy) {
    pools_->easy_handles.push_back(easy);
  } else {
    curl_easy_cleanup(easy);
  }
  return response;
}

void Client::send_many(size_t count, const std::function<Request(size_t)>& make,
                       const std::function<void(size_t, Response)>& done, const std::atomic<bool>* cancel) {
  if (count == 0) return;
  std::unique_ptr<MultiContext> context;
  {
    std::lock_guard lock(pools_->mutex);
    if (!pools_->multis.empty()) {
      context = std::move(pools_->multis.back());
      pools_->multis.pop_back();
    }
  }
  if (!context) context = std::make_unique<MultiContext>(options_.max_connections);

  const size_t limit = std::min(options_.max_connections, count);
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> active;
  std::multimap<Clock::time_point, std::unique_ptr<Transfer>> waiting;  // retries, by when they are due
  size_t next_index = 0;
  auto drop_active = [&] {
    for (auto& [easy, transfer] : active) {
      curl_multi_remove_handle(context->multi, easy);
      context->idle.push_back(easy);
    }
    active.clear();
  };

  try {
    while (cancel == nullptr || !cancel->load(std::memory_order_relaxed)) {
      auto now = Clock::now();
      while (active.size() < limit) {
        std::unique_ptr<Transfer> transfer;
        if (!waiting.empty() && waiting.begin()->first <= now) {
          transfer = std::move(waiting.begin()->second);
          waiting.erase(waiting.begin());
        } else if (next_index < count) {
          transfer = std::make_unique<Transfer>(make(next_index), next_index, options_);
          ++next_index;
        } else {
          break;
        }
        CURL* easy = context->take_easy();
        prepare(easy, *transfer, options_, pools_->sigv4_provider);
        curl_multi_add_handle(context->multi, easy);
        active.emplace(easy, std::move(transfer));
      }
      if (active.empty()) {
        if (waiting.empty()) break;
        std::this_thread::sleep_until(std::min(waiting.begin()->first, now + kPollInterval));
        continue;
      }

      int running = 0;
      curl_multi_perform(context->multi, &running);
      int queued = 0;
      while (CURLMsg* message = curl_multi_info_read(context->multi, &queued)) {
        if (message->msg != CURLMSG_DONE) continue;
        CURL* easy = message->easy_handle;
        CURLcode code = message->data.result;
        curl_multi_remove_handle(context->multi, easy);
        auto node = active.extract(easy);
        std::unique_ptr<Transfer> transfer = std::move(node.mapped());
        Response response = finish(easy, *transfer, code);
        context->idle.push_back(easy);
        response.attempts = ++transfer->attempts;
        if (verdict_of(response, code) == Verdict::kRetry && transfer->attempts < options_.max_attempts) {
          auto delay = retry_delay(transfer->attempts, options_.retry_base_delay, options_.retry_max_delay,
                                   unit_random());
          retries_.fetch_add(1, std::memory_order_relaxed);
          waiting.emplace(Clock::now() + delay, std::move(transfer));
        } else {
          done(transfer->index, std::move(response));
        }
      }

      auto wait = kPollInterval;
      if (!waiting.empty()) {
        auto until_due = std::chrono::duration_cast<std::chrono::milliseconds>(waiting.begin()->first - Clock::now());
        wait = std::clamp(until_due, std::chrono::milliseconds(0), kPollInterval);
      }
      if (!active.empty()) curl_multi_poll(context->multi, nullptr, 0, static_cast<int>(wait.count()), nullptr);
    }
  } catch (...) {
    drop_active();
    throw;
  }
  drop_active();

  std::lock_guard lock(pools_->mutex);
  if (pools_->multis.size() < kIdleMultis) pools_->multis.push_back(std::move(context));
}

}  // namespace sparkify::io::s3_internal
