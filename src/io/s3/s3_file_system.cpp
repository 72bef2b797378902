#include "io/s3/s3_file_system.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <utility>

#include "io/bounded_queue.h"
#include "io/s3/s3_client_internal.h"
#include "model/error.h"

namespace sparkify::io {

using s3_internal::Client;
using s3_internal::ListedObject;
using s3_internal::Request;
using s3_internal::Response;

namespace {

constexpr size_t kKeysPerDelete = 1000;
constexpr uint64_t kMaxCopySize = uint64_t{5} << 30;
constexpr size_t kMaxParts = 10'000;
// Files downloaded but not yet handed to on_file, at most.
constexpr size_t kQueuedFilesPerThread = 16;
constexpr size_t kMaxQueuedBytes = size_t{256} << 20;

std::string folder_prefix(const std::string& key) {
  return key.empty() || key.back() == '/' ? key : key + "/";
}

bool has_suffix(std::string_view name, const std::vector<std::string>& suffixes) {
  if (suffixes.empty()) return true;
  return std::any_of(suffixes.begin(), suffixes.end(), [&](const std::string& suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  });
}

// A key below the listed prefix is hidden when one of its segments starts
// with '.', as a hidden file or folder on a disk.
bool is_hidden(std::string_view relative_key) {
  size_t at = 0;
  while (at < relative_key.size()) {
    if (relative_key[at] == '.') return true;
    size_t slash = relative_key.find('/', at);
    if (slash == std::string_view::npos) break;
    at = slash + 1;
  }
  return false;
}

std::string attempts_note(const Response& response) {
  return response.attempts > 1 ? " (gave up after " + std::to_string(response.attempts) + " attempts)" : "";
}

// The IoError message for a failed request: what failed, where, what S3
// said, and what to check. `action` reads "cannot <action> <uri>".
std::string failure_message(const S3Options& options, std::string_view action, const S3Uri& uri,
                            const Response& response) {
  std::string what = "cannot " + std::string(action) + " " + uri.str();
  std::string message;
  if (!response.transport_ok) {
    message = what + ": " + response.transport_error + attempts_note(response) + "; check that " +
              (options.endpoint.empty() ? "S3 (region " + options.region + ")"
                                        : "the endpoint " + redact_url_userinfo(options.endpoint)) +
              " is reachable";
    return s3_internal::redact(message, options);
  }
  const std::string& code = response.error.code;
  std::string said = std::to_string(response.status) + (code.empty() ? "" : " " + code) +
                     (response.error.message.empty() ? "" : ": " + response.error.message);
  if (!response.bucket_region.empty() && response.bucket_region != options.region &&
      (response.status == 301 || response.status == 307 || response.status == 400)) {
    message = what + " (" + said + "): bucket '" + uri.bucket + "' is in region " + response.bucket_region +
              ", not " + options.region + "; set the region (--region " + response.bucket_region +
              " or AWS_REGION)";
  } else if (response.status == 403) {
    message = "access denied: " + what + " (" + said + "); ";
    if (options.no_sign_request) {
      message += "bucket '" + uri.bucket + "' does not allow anonymous requests: give credentials instead of "
                 "--no-sign-request";
    } else if (code == "InvalidAccessKeyId") {
      message += "the server does not know the access key id from " + options.credentials_source +
                 ": check the credentials";
    } else if (code == "SignatureDoesNotMatch") {
      message += "check the secret access key from " + options.credentials_source;
    } else if (code == "RequestTimeTooSkewed") {
      message += "check the system clock";
    } else if (code == "ExpiredToken" || code == "InvalidToken" || code == "TokenRefreshRequired") {
      message += "the session token from " + options.credentials_source + " has expired or is invalid: refresh it";
    } else {
      message += "check that the credentials from " + options.credentials_source +
                 " are valid and allowed to do this on bucket '" + uri.bucket + "' (an IAM or bucket policy may "
                 "deny it), or pass --no-sign-request for a public bucket";
    }
  } else if (response.status == 404 && code == "NoSuchBucket") {
    message = "no such bucket '" + uri.bucket + "': " + what + " (" + said + "); check the bucket name" +
              (options.endpoint.empty() ? "" : " and the endpoint " + redact_url_userinfo(options.endpoint));
  } else if (response.status == 404 && code == "NoSuchKey") {
    message = "no such object: " + what + " (" + said + "); bucket '" + uri.bucket + "' exists but has no key '" +
              uri.key + "': check the path";
  } else if (response.status == 404) {
    message = "not found: " + what + " (" + said + "); check the bucket name and the key";
  } else {
    message = what + ": " + said + attempts_note(response);
  }
  return s3_internal::redact(message, options);
}

[[noreturn]] void fail(const S3Options& options, std::string_view action, const S3Uri& uri,
                       const Response& response) {
  throw IoError(failure_message(options, action, uri, response));
}

S3Uri object_uri(const std::string& path) {
  S3Uri uri = parse_s3_uri(path);
  if (uri.key.empty() || uri.key.back() == '/') {
    throw IoError("cannot use " + path + " as a file: it names a bucket or a folder, not an object");
  }
  return uri;
}

Request get_request(const S3Uri& uri) {
  Request request;
  request.bucket = uri.bucket;
  request.key = uri.key;
  return request;
}

// All objects whose keys start with `prefix`, in key order, at most
// `max_keys` of them (0: all). Sets `*bucket_missing` instead of throwing
// when the bucket does not exist and `bucket_missing` is given.
std::vector<ListedObject> list_objects(Client& client, const std::string& bucket, const std::string& prefix,
                                       size_t max_keys = 0, bool* bucket_missing = nullptr) {
  std::vector<ListedObject> objects;
  std::string token;
  S3Uri named{bucket, prefix};
  do {
    Request request;
    request.bucket = bucket;
    request.query = {{"list-type", "2"}};
    if (!prefix.empty()) request.query.emplace_back("prefix", prefix);
    if (!token.empty()) request.query.emplace_back("continuation-token", token);
    if (max_keys > 0) request.query.emplace_back("max-keys", std::to_string(std::min<size_t>(max_keys, 1000)));
    Response response = client.send(request);
    if (!response.ok()) {
      if (bucket_missing != nullptr && response.status == 404 && response.error.code == "NoSuchBucket") {
        *bucket_missing = true;
        return {};
      }
      fail(client.options(), "list", named, response);
    }
    auto page = s3_internal::parse_list_page(response.body.view());
    if (!page) throw IoError("cannot list " + named.str() + ": the server's ListObjectsV2 answer is malformed");
    client.count_keys_listed(page->objects.size());
    for (auto& object : page->objects) objects.push_back(std::move(object));
    token = page->truncated ? page->next_continuation_token : std::string();
  } while (!token.empty() && (max_keys == 0 || objects.size() < max_keys));
  if (max_keys > 0 && objects.size() > max_keys) objects.resize(max_keys);
  return objects;
}

// Deletes `keys` of `bucket`: DeleteObjects, 1,000 keys a request, several
// requests at once; one DELETE per key where the server lacks DeleteObjects.
void delete_keys(Client& client, const std::string& bucket, const std::vector<std::string>& keys) {
  if (keys.empty()) return;
  std::vector<std::string> bodies;
  std::vector<std::string> digests;
  for (size_t first = 0; first < keys.size(); first += kKeysPerDelete) {
    std::string body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<Quiet>true</Quiet>";
    for (size_t key_idx = first; key_idx < std::min(keys.size(), first + kKeysPerDelete); ++key_idx) {
      body += "<Object><Key>" + s3_internal::xml_escape(keys[key_idx]) + "</Key></Object>";
    }
    body += "</Delete>";
    // S3 refuses DeleteObjects without a Content-MD5 (or checksum) header.
    digests.push_back(s3_internal::md5_base64(body));
    bodies.push_back(std::move(body));
  }
  bool unsupported = false;
  client.send_many(
      bodies.size(),
      [&](size_t batch_idx) {
        Request request;
        request.method = "POST";
        request.bucket = bucket;
        request.query = {{"delete", ""}};
        request.headers = {"Content-MD5: " + digests[batch_idx], "Content-Type: application/xml"};
        request.body = bodies[batch_idx];
        return request;
      },
      [&](size_t batch_idx, Response response) {
        if (response.ok()) {
          auto failures = s3_internal::parse_delete_result(response.body.view());
          if (!failures) {
            throw IoError("cannot delete objects in s3://" + bucket + ": the server's DeleteObjects answer is malformed");
          }
          if (!failures->empty()) {
            const auto& first = failures->front();
            throw IoError(s3_internal::redact("cannot delete " + S3Uri{bucket, first.key}.str() + ": " + first.code +
                                                  (first.message.empty() ? "" : ": " + first.message) + " (and " +
                                                  std::to_string(failures->size() - 1) + " more keys)",
                                              client.options()));
          }
          return;
        }
        const std::string& code = response.error.code;
        if (response.transport_ok && (response.status == 501 || response.status == 405 || code == "NotImplemented" ||
                                      code == "MethodNotAllowed")) {
          unsupported = true;
          return;
        }
        fail(client.options(), "delete", S3Uri{bucket, keys[batch_idx * kKeysPerDelete]}, response);
      });
  if (!unsupported) return;
  client.send_many(
      keys.size(),
      [&](size_t key_idx) {
        Request request;
        request.method = "DELETE";
        request.bucket = bucket;
        request.key = keys[key_idx];
        return request;
      },
      [&](size_t key_idx, Response response) {
        if (!response.ok() && response.status != 404) {
          fail(client.options(), "delete", S3Uri{bucket, keys[key_idx]}, response);
        }
      });
}

// Writes one object: a single PUT, or a multipart upload once the data
// outgrows the threshold.
class S3OutputStream final : public OutputStream {
 public:
  S3OutputStream(Client& client, S3Uri uri) : client_(client), uri_(std::move(uri)) {}
  ~S3OutputStream() override {
    if (!finished_) abort();
  }

  void write(std::string_view bytes) override {
    if (finished_) throw IoError("cannot write " + uri_.str() + ": the stream is closed");
    buffer_.append(bytes);
    bytes_written_ += bytes.size();
    const S3Options& options = client_.options();
    try {
      if (upload_id_.empty() && buffer_.size() > options.multipart_threshold) start_multipart();
      while (!upload_id_.empty() && buffer_.size() >= part_size_) {
        upload_part(std::string_view(buffer_).substr(0, part_size_));
        buffer_.erase(0, part_size_);
      }
    } catch (...) {
      abort();
      throw;
    }
  }

  void close() override {
    if (finished_) return;
    try {
      if (upload_id_.empty()) {
        put_whole();
      } else {
        if (!buffer_.empty() || etags_.empty()) upload_part(buffer_);
        complete();
      }
    } catch (...) {
      abort();
      throw;
    }
    finished_ = true;
    buffer_ = std::string();
  }

  void abort() override {
    if (finished_) return;
    finished_ = true;
    buffer_ = std::string();
    if (upload_id_.empty()) return;
    Request request;
    request.method = "DELETE";
    request.bucket = uri_.bucket;
    request.key = uri_.key;
    request.query = {{"uploadId", upload_id_}};
    // Best effort: some servers refuse AbortMultipartUpload (MethodNotAllowed)
    // and S3's lifecycle rules drop abandoned parts in the end.
    client_.send(request);
    upload_id_.clear();
  }

  uint64_t bytes_written() const override { return bytes_written_; }

 private:
  void put_whole() {
    Request request;
    request.method = "PUT";
    request.bucket = uri_.bucket;
    request.key = uri_.key;
    request.body = buffer_;
    Response response = client_.send(request);
    if (!response.ok()) fail(client_.options(), "write", uri_, response);
  }

  void start_multipart() {
    const S3Options& options = client_.options();
    part_size_ = std::max<size_t>(1, options.part_size);
    Request request;
    request.method = "POST";
    request.bucket = uri_.bucket;
    request.key = uri_.key;
    request.query = {{"uploads", ""}};
    // The object's type: CreateMultipartUpload takes it from this header.
    request.headers = {"Content-Type: application/octet-stream"};
    Response response = client_.send(request);
    if (!response.ok()) fail(options, "start a multipart upload of", uri_, response);
    auto upload_id = s3_internal::parse_upload_id(response.body.view());
    if (!upload_id) {
      throw IoError("cannot start a multipart upload of " + uri_.str() + ": the server's answer has no UploadId");
    }
    upload_id_ = *upload_id;
  }

  void upload_part(std::string_view part) {
    if (etags_.size() >= kMaxParts) {
      throw IoError("cannot write " + uri_.str() + ": it needs more than 10,000 parts of " + std::to_string(part_size_) +
                    " bytes; raise the part size");
    }
    Request request;
    request.method = "PUT";
    request.bucket = uri_.bucket;
    request.key = uri_.key;
    request.query = {{"partNumber", std::to_string(etags_.size() + 1)}, {"uploadId", upload_id_}};
    request.body = part;
    Response response = client_.send(request);
    if (!response.ok()) fail(client_.options(), "upload part " + std::to_string(etags_.size() + 1) + " of", uri_, response);
    if (response.etag.empty()) {
      throw IoError("cannot upload part " + std::to_string(etags_.size() + 1) + " of " + uri_.str() +
                    ": the server's answer has no ETag");
    }
    etags_.push_back(response.etag);
  }

  void complete() {
    std::string body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    for (size_t part_idx = 0; part_idx < etags_.size(); ++part_idx) {
      body += "<Part><PartNumber>" + std::to_string(part_idx + 1) + "</PartNumber><ETag>" +
              s3_internal::xml_escape(etags_[part_idx]) + "</ETag></Part>";
    }
    body += "</CompleteMultipartUpload>";
    Request request;
    request.method = "POST";
    request.bucket = uri_.bucket;
    request.key = uri_.key;
    request.query = {{"uploadId", upload_id_}};
    request.headers = {"Content-Type: application/xml"};
    request.body = body;
    request.error_in_ok = true;
    Response response = client_.send(request);
    if (!response.ok()) fail(client_.options(), "complete the multipart upload of", uri_, response);
    upload_id_.clear();
  }

  Client& client_;
  S3Uri uri_;
  std::string buffer_;
  uint64_t bytes_written_ = 0;
  size_t part_size_ = 0;
  std::string upload_id_;
  std::vector<std::string> etags_;
  bool finished_ = false;
};

}  // namespace

S3FileSystem::S3FileSystem(S3Options options) : client_(std::make_unique<Client>(std::move(options))) {}

S3FileSystem::~S3FileSystem() = default;

const S3Options& S3FileSystem::options() const { return client_->options(); }

S3Activity S3FileSystem::activity() const { return {client_->keys_listed(), client_->retries()}; }

std::vector<FileEntry> S3FileSystem::list(const std::string& root, const std::vector<std::string>& suffixes) {
  S3Uri uri = parse_s3_uri(root);
  std::string prefix = folder_prefix(uri.key);
  std::vector<ListedObject> objects = list_objects(*client_, uri.bucket, prefix);
  std::vector<FileEntry> entries;
  if (objects.empty() && !uri.key.empty()) {
    if (uri.key.back() != '/') {
      Request request = get_request(uri);
      request.method = "HEAD";
      Response response = client_->send(request);
      if (response.ok()) {
        entries.push_back({uri.str(), response.content_length.value_or(0)});
        return entries;
      }
      if (response.status != 404) fail(client_->options(), "list", uri, response);
    }
    throw IoError("no such file or folder: " + root + " (no object has that key or prefix)");
  }
  for (const auto& object : objects) {
    std::string_view relative = std::string_view(object.key).substr(prefix.size());
    if (relative.empty() || object.key.back() == '/' || is_hidden(relative) || !has_suffix(object.key, suffixes)) {
      continue;
    }
    entries.push_back({S3Uri{uri.bucket, object.key}.str(), object.size, object.etag});
  }
  std::sort(entries.begin(), entries.end(), [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return entries;
}

Bytes S3FileSystem::read(const std::string& path) {
  S3Uri uri = object_uri(path);
  Response response = client_->send(get_request(uri));
  if (!response.ok()) fail(client_->options(), "read", uri, response);
  return std::move(response.body);
}

void S3FileSystem::read_many(const std::vector<FileEntry>& files, size_t concurrency,
                             const std::function<void(size_t index, Bytes bytes)>& on_file) {
  if (files.empty()) return;
  std::vector<S3Uri> uris;
  uris.reserve(files.size());
  for (const auto& file : files) uris.push_back(object_uri(file.path));

  const size_t thread_count = std::max<size_t>(1, std::min(concurrency, files.size()));
  // Downloaded files on their way from the transfer loop to the on_file
  // threads; the transfer loop waits while too many files or bytes wait.
  using Downloaded = std::pair<size_t, Bytes>;
  BoundedQueue<Downloaded> queue(kQueuedFilesPerThread * thread_count, kMaxQueuedBytes,
                                 [](const Downloaded& file) { return file.second.size(); });
  std::atomic<bool> cancel{false};
  std::mutex error_mutex;
  std::exception_ptr first_error;  // GUARDED_BY(error_mutex)
  auto record_error = [&] {
    {
      std::lock_guard lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
    }
    cancel = true;
    queue.cancel();
  };

  // The callbacks (JSON parsing, say) run on threads of their own while the
  // transfer loop keeps every connection busy.
  std::vector<std::thread> threads;
  threads.reserve(thread_count);
  for (size_t thread_idx = 0; thread_idx < thread_count; ++thread_idx) {
    threads.emplace_back([&] {
      while (auto file = queue.pop()) {
        try {
          on_file(file->first, std::move(file->second));
        } catch (...) {
          record_error();
          return;
        }
      }
    });
  }
  try {
    client_->send_many(
        files.size(), [&](size_t index) { return get_request(uris[index]); },
        [&](size_t index, Response response) {
          if (!response.ok()) fail(client_->options(), "read", uris[index], response);
          queue.push(Downloaded{index, std::move(response.body)});
        },
        &cancel);
  } catch (...) {
    record_error();
  }
  queue.close();
  for (auto& thread : threads) thread.join();
  if (first_error) std::rethrow_exception(first_error);
}

std::unique_ptr<OutputStream> S3FileSystem::create(const std::string& path) {
  return std::make_unique<S3OutputStream>(*client_, object_uri(path));
}

bool S3FileSystem::exists(const std::string& path) {
  S3Uri uri = parse_s3_uri(path);
  if (uri.key.empty() || uri.key.back() != '/') {
    Request request = get_request(uri);
    request.method = "HEAD";
    Response response = client_->send(request);
    if (response.ok()) return true;
    if (response.status != 404) fail(client_->options(), "check", uri, response);
    if (uri.key.empty()) return false;
  }
  bool bucket_missing = false;
  auto objects = list_objects(*client_, uri.bucket, folder_prefix(uri.key), 1, &bucket_missing);
  return !objects.empty();
}

void S3FileSystem::remove_all(const std::string& path) {
  S3Uri uri = parse_s3_uri(path);
  bool bucket_missing = false;
  auto objects = list_objects(*client_, uri.bucket, folder_prefix(uri.key), 0, &bucket_missing);
  if (bucket_missing) return;
  std::vector<std::string> keys;
  keys.reserve(objects.size() + 1);
  for (auto& object : objects) keys.push_back(std::move(object.key));
  // The object `path` itself, if there is one: deleting a missing key is no
  // error, so no HEAD is needed.
  if (!uri.key.empty() && uri.key.back() != '/') keys.push_back(uri.key);
  delete_keys(*client_, uri.bucket, keys);
}

void S3FileSystem::replace_tree(const std::string& staged, const std::string& target) {
  S3Uri from = parse_s3_uri(staged);
  S3Uri to = parse_s3_uri(target);
  std::string from_prefix = folder_prefix(from.key);
  std::string to_prefix = folder_prefix(to.key);
  if (from.bucket == to.bucket &&
      (from_prefix.rfind(to_prefix, 0) == 0 || to_prefix.rfind(from_prefix, 0) == 0)) {
    throw IoError("cannot put " + staged + " in place of " + target + ": one lies inside the other");
  }
  std::vector<ListedObject> staged_objects = list_objects(*client_, from.bucket, from_prefix);
  if (staged_objects.empty()) throw IoError("cannot put " + staged + " in place of " + target + ": nothing is staged");
  for (const auto& object : staged_objects) {
    if (object.size > kMaxCopySize) {
      throw IoError("cannot put " + staged + " in place of " + target + ": " + S3Uri{from.bucket, object.key}.str() +
                    " is over 5 GiB, more than one CopyObject copies");
    }
  }
  bool target_bucket_missing = false;
  std::vector<ListedObject> old_objects = list_objects(*client_, to.bucket, to_prefix, 0, &target_bucket_missing);
  if (target_bucket_missing) {
    throw IoError("no such bucket '" + to.bucket + "': cannot put " + staged + " in place of " + target);
  }

  auto step_failed = [&](std::string_view step, const IoError& error) {
    return IoError("replacing " + target + " with " + staged + " failed while " + std::string(step) + ": " +
                   error.what());
  };
  std::unordered_set<std::string> new_relative_keys;
  for (const auto& object : staged_objects) new_relative_keys.insert(object.key.substr(from_prefix.size()));
  // The objects only the old tree has go first: among them is any marker
  // (_SUCCESS) the caller writes after this returns, which must not vouch
  // for the mix a failed copy leaves.
  std::vector<std::string> stale_keys;
  for (const auto& object : old_objects) {
    if (new_relative_keys.count(object.key.substr(to_prefix.size())) == 0) stale_keys.push_back(object.key);
  }
  try {
    delete_keys(*client_, to.bucket, stale_keys);
  } catch (const IoError& error) {
    throw step_failed("deleting old objects the new tree does not have (the target may now lack some; the staged "
                      "tree is whole)",
                      error);
  }
  try {
    client_->send_many(
        staged_objects.size(),
        [&](size_t object_idx) {
          const std::string& key = staged_objects[object_idx].key;
          Request request;
          request.method = "PUT";
          request.bucket = to.bucket;
          request.key = to_prefix + key.substr(from_prefix.size());
          request.headers = {"x-amz-copy-source: " + s3_internal::copy_source(from.bucket, key),
                             "x-amz-metadata-directive: COPY"};
          request.error_in_ok = true;
          return request;
        },
        [&](size_t object_idx, Response response) {
          if (response.ok()) return;
          // Named by its source: a NoSuchKey or NoSuchBucket is about the source.
          fail(client_->options(), "copy", S3Uri{from.bucket, staged_objects[object_idx].key}, response);
        });
  } catch (const IoError& error) {
    throw step_failed("copying (the target may now mix old and new objects; the staged tree is whole)", error);
  }
  // The staged objects stay: the caller removes them once its whole commit
  // is done, so that a commit interrupted after this copy can run it again
  // from a whole staged tree.
}

void S3FileSystem::copy_file(const std::string& from, const std::string& to) {
  S3Uri source = parse_s3_uri(from);
  S3Uri target = parse_s3_uri(to);
  Request request;
  request.method = "PUT";
  request.bucket = target.bucket;
  request.key = target.key;
  request.headers = {"x-amz-copy-source: " + s3_internal::copy_source(source.bucket, source.key),
                     "x-amz-metadata-directive: COPY"};
  request.error_in_ok = true;
  Response response = client_->send(request);
  if (!response.ok()) fail(client_->options(), "copy", source, response);
}

void S3FileSystem::create_bucket(const std::string& bucket) {
  const S3Options& options = client_->options();
  std::string body;
  // us-east-1 is the one region that takes no location constraint.
  if (options.region != "us-east-1") {
    body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
           s3_internal::xml_escape(options.region) + "</LocationConstraint></CreateBucketConfiguration>";
  }
  Request request;
  request.method = "PUT";
  request.bucket = bucket;
  request.body = body;
  Response response = client_->send(request);
  if (response.ok() || response.error.code == "BucketAlreadyOwnedByYou") return;
  if (response.error.code == "BucketAlreadyExists") {
    // Ours if we may look into it (S3 says BucketAlreadyOwnedByYou for our
    // own buckets, but not every compatible server does).
    Request head;
    head.method = "HEAD";
    head.bucket = bucket;
    if (client_->send(head).ok()) return;
  }
  fail(options, "create bucket", S3Uri{bucket, ""}, response);
}

}  // namespace sparkify::io
