// S3FileSystem against a live S3-compatible server (scripts/start-s3.sh),
// directly and through tests/tools/fault_proxy.mjs, which injects failures,
// delays, dropped connections and denials, and checks SigV4 signatures the
// way S3 does.
#include "io/s3/s3_file_system.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "io/s3/s3_test_support.h"
#include "model/error.h"

namespace sparkify::io {
namespace {

using sparkify::testing::FaultProxy;

// Made-up secrets: none of them may ever show in a message.
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzSECRET";
constexpr char kToken[] = "FwoGZXIvYXdzEXAMPLE-SESSION-TOKEN//0123456789";
// s3rver accepts this one access key id only.
constexpr char kKeyId[] = "S3RVER";

std::string body_for(size_t index) {
  return "{\"song_id\": \"SO" + std::to_string(index) + "\", \"title\": \"Song number " + std::to_string(index) +
         "\", \"duration\": " + std::to_string(100 + index % 300) + ".5}";
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const IoError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no IoError was thrown";
  return {};
}

void expect_no_secret(const std::string& message) {
  EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
  EXPECT_EQ(message.find(kToken), std::string::npos) << message;
  EXPECT_EQ(message.find(kKeyId), std::string::npos) << message;
}

class S3FileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto endpoint = sparkify::testing::s3_test_endpoint(why);
    if (!endpoint) GTEST_SKIP() << why;
    endpoint_ = *endpoint;
    bucket_ = sparkify::testing::unique_bucket("sparkify-test");
    direct_ = std::make_unique<S3FileSystem>(options_for(endpoint_));
    direct_->create_bucket(bucket_);
  }

  S3Options options_for(const std::string& endpoint) const {
    S3Options options;
    options.endpoint = endpoint;
    options.path_style = true;
    options.access_key_id = kKeyId;
    options.secret_access_key = kSecret;
    options.session_token = kToken;
    options.credentials_source = "the test";
    options.retry_base_delay = std::chrono::milliseconds(5);
    options.retry_max_delay = std::chrono::milliseconds(50);
    options.connect_timeout = std::chrono::milliseconds(2000);
    options.stall_timeout = std::chrono::seconds(10);
    return options;
  }

  std::string uri(const std::string& key) const { return "s3://" + bucket_ + "/" + key; }

  // Writes `count` small JSON files below `prefix`, several at once.
  std::vector<std::string> put_many(const std::string& prefix, size_t count) {
    std::vector<std::string> paths(count);
    for (size_t index = 0; index < count; ++index) {
      char name[32];
      std::snprintf(name, sizeof name, "%05zu.json", index);
      paths[index] = uri(prefix + "/" + name);
    }
    std::atomic<size_t> next{0};
    std::vector<std::thread> writers;
    for (int writer_idx = 0; writer_idx < 8; ++writer_idx) {
      writers.emplace_back([&] {
        for (size_t index = next++; index < count; index = next++) direct_->write_file(paths[index], body_for(index));
      });
    }
    for (auto& writer : writers) writer.join();
    return paths;
  }

  // Reads `paths` with read_many and checks every body byte for byte.
  void expect_read_many_exact(S3FileSystem& fs, const std::vector<std::string>& paths, size_t concurrency) {
    std::vector<FileEntry> files;
    for (const auto& path : paths) files.push_back({path, 0});
    std::vector<std::string> got(paths.size());
    std::atomic<size_t> calls{0};
    fs.read_many(files, concurrency, [&](size_t index, Bytes bytes) {
      got[index] = std::string(bytes.view());
      ++calls;
    });
    EXPECT_EQ(calls.load(), paths.size());
    size_t wrong = 0;
    for (size_t index = 0; index < paths.size(); ++index) wrong += got[index] != body_for(index);
    EXPECT_EQ(wrong, 0u);
  }

  std::string endpoint_;
  std::string bucket_;
  std::unique_ptr<S3FileSystem> direct_;
};

TEST_F(S3FileSystemTest, WritesAndReadsBackKeysOfAnyShape) {
  for (std::string key : {"plain.json", "dir/year=2018/month=11/part 1+2.json", "odd/ü é/(1)!*'~.json"}) {
    direct_->write_file(uri(key), "content of " + key);
    Bytes bytes = direct_->read(uri(key));
    EXPECT_EQ(bytes.view(), "content of " + key);
    EXPECT_EQ(bytes.data()[bytes.size()], '\0');
    EXPECT_TRUE(direct_->exists(uri(key)));
  }
  direct_->write_file(uri("empty.bin"), "");
  EXPECT_EQ(direct_->read(uri("empty.bin")).size(), 0u);
  EXPECT_TRUE(direct_->exists(uri("dir/year=2018")));
  EXPECT_TRUE(direct_->exists("s3://" + bucket_));
  EXPECT_FALSE(direct_->exists(uri("dir/year=2019")));
  EXPECT_FALSE(direct_->exists(uri("nothing.json")));
  EXPECT_FALSE(direct_->exists("s3://" + sparkify::testing::unique_bucket("sparkify-absent")));
}

TEST_F(S3FileSystemTest, OutputIsInvisibleUntilCloseAndAbortLeavesNothing) {
  auto out = direct_->create(uri("out/a.json"));
  out->write("{\"a\":");
  out->write("1}");
  EXPECT_FALSE(direct_->exists(uri("out/a.json")));
  out->close();
  EXPECT_EQ(out->bytes_written(), 7u);
  EXPECT_EQ(direct_->read(uri("out/a.json")).view(), "{\"a\":1}");

  auto aborted = direct_->create(uri("out/b.json"));
  aborted->write("x");
  aborted->abort();
  { auto dropped = direct_->create(uri("out/c.json")); dropped->write("x"); }
  EXPECT_FALSE(direct_->exists(uri("out/b.json")));
  EXPECT_FALSE(direct_->exists(uri("out/c.json")));
}

TEST_F(S3FileSystemTest, ListsPastOneThousandKeysSortedAndFiltered) {
  auto paths = put_many("many", 1100);
  direct_->write_file(uri("many/notes.txt"), "not json");
  direct_->write_file(uri("many/.hidden.json"), "{}");
  direct_->write_file(uri("many/.tmp/x.json"), "{}");
  direct_->write_file(uri("many-sibling/x.json"), "{}");
  auto files = direct_->list(uri("many"), {".json"});
  ASSERT_EQ(files.size(), 1100u);
  for (size_t index = 0; index < files.size(); ++index) {
    EXPECT_EQ(files[index].path, paths[index]);
    EXPECT_EQ(files[index].size, body_for(index).size());
  }
  EXPECT_EQ(direct_->list(uri("many/"), {}).size(), 1101u);
  EXPECT_EQ(direct_->list("s3://" + bucket_, {".txt"}).size(), 1u);
}

TEST_F(S3FileSystemTest, ListOfAnObjectGivesItAndOfNothingNamesTheRoot) {
  direct_->write_file(uri("one/file.json"), "12345");
  auto files = direct_->list(uri("one/file.json"), {".parquet"});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, uri("one/file.json"));
  EXPECT_EQ(files[0].size, 5u);
  std::string message = error_of([&] { direct_->list(uri("absent/prefix"), {".json"}); });
  EXPECT_NE(message.find(uri("absent/prefix")), std::string::npos) << message;
}

TEST_F(S3FileSystemTest, MissingBucketAndKeyAreNamed) {
  std::string bucket = sparkify::testing::unique_bucket("sparkify-absent");
  std::string message = error_of([&] { direct_->list("s3://" + bucket + "/song_data", {".json"}); });
  EXPECT_NE(message.find("no such bucket '" + bucket + "'"), std::string::npos) << message;
  EXPECT_NE(message.find("NoSuchBucket"), std::string::npos) << message;
  message = error_of([&] { direct_->read("s3://" + bucket + "/a.json"); });
  EXPECT_NE(message.find("NoSuchBucket"), std::string::npos) << message;
  message = error_of([&] { direct_->read(uri("song_data/missing.json")); });
  EXPECT_NE(message.find("NoSuchKey"), std::string::npos) << message;
  EXPECT_NE(message.find(uri("song_data/missing.json")), std::string::npos) << message;
  expect_no_secret(message);
}

TEST_F(S3FileSystemTest, MultipartUploadAboveTheThreshold) {
  FaultProxy proxy(endpoint_, {});
  S3Options options = options_for(proxy.endpoint());
  options.multipart_threshold = 5 * kMiB;
  options.part_size = 5 * kMiB;
  S3FileSystem fs(options);
  std::string expected;
  std::mt19937 rng(7);
  auto out = fs.create(uri("big/object.bin"));
  for (int chunk_idx = 0; chunk_idx < 12; ++chunk_idx) {
    std::string chunk(kMiB + 17, '\0');
    for (char& c : chunk) c = static_cast<char>(rng());
    out->write(chunk);
    expected += chunk;
  }
  EXPECT_FALSE(fs.exists(uri("big/object.bin")));
  out->close();
  // Initiate and complete (POST), three parts (PUT), no single PUT.
  EXPECT_EQ(proxy.stat("POST"), 2) << proxy.stats();
  EXPECT_EQ(proxy.stat("PUT"), 3) << proxy.stats();
  Bytes back = fs.read(uri("big/object.bin"));
  ASSERT_EQ(back.size(), expected.size());
  EXPECT_TRUE(back.view() == expected);

  // Aborting a multipart upload (which s3rver refuses) leaves no object.
  auto aborted = fs.create(uri("big/aborted.bin"));
  aborted->write(std::string(6 * kMiB, 'x'));
  aborted->abort();
  EXPECT_FALSE(fs.exists(uri("big/aborted.bin")));
}

TEST_F(S3FileSystemTest, ReadManyFetchesManySmallFilesExactlyWithBoundedCallbacks) {
  auto paths = put_many("small", 3000);
  std::vector<FileEntry> files;
  for (const auto& path : paths) files.push_back({path, 0});
  std::atomic<int> inside{0};
  std::atomic<int> most_inside{0};
  std::vector<std::string> got(paths.size());
  std::set<std::thread::id> threads;
  std::mutex threads_mutex;
  direct_->read_many(files, 3, [&](size_t index, Bytes bytes) {
    int now = ++inside;
    int seen = most_inside.load();
    while (now > seen && !most_inside.compare_exchange_weak(seen, now)) {
    }
    {
      std::lock_guard lock(threads_mutex);
      threads.insert(std::this_thread::get_id());
    }
    got[index] = std::string(bytes.view());
    --inside;
  });
  EXPECT_LE(most_inside.load(), 3);
  EXPECT_LE(threads.size(), 3u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
  for (size_t index = 0; index < paths.size(); ++index) ASSERT_EQ(got[index], body_for(index)) << paths[index];
}

TEST_F(S3FileSystemTest, ReadManyRethrowsTheCallbacksFailure) {
  auto paths = put_many("throws", 200);
  std::vector<FileEntry> files;
  for (const auto& path : paths) files.push_back({path, 0});
  std::atomic<int> calls{0};
  EXPECT_THROW(direct_->read_many(files, 2,
                                  [&](size_t index, Bytes) {
                                    ++calls;
                                    if (index == 10) throw JobError("bad file");
                                  }),
               JobError);
  EXPECT_LT(calls.load(), 200);
}

TEST_F(S3FileSystemTest, AccessDeniedFailsAtOnceWithoutRetries) {
  auto paths = put_many("secret", 20);
  FaultProxy proxy(endpoint_, {"--deny", "/secret/00007"});
  S3FileSystem fs(options_for(proxy.endpoint()));
  std::string message = error_of([&] { fs.read(paths[7]); });
  EXPECT_EQ(proxy.stat("requests"), 1) << proxy.stats();
  EXPECT_NE(message.find("access denied"), std::string::npos) << message;
  EXPECT_NE(message.find(paths[7]), std::string::npos) << message;
  EXPECT_NE(message.find("credentials"), std::string::npos) << message;
  expect_no_secret(message);

  proxy.reset();
  std::vector<FileEntry> files;
  for (const auto& path : paths) files.push_back({path, 0});
  message = error_of([&] { fs.read_many(files, 2, [](size_t, Bytes) {}); });
  EXPECT_EQ(proxy.stat("denied"), 1) << proxy.stats();
  EXPECT_NE(message.find("403 AccessDenied"), std::string::npos) << message;
}

TEST_F(S3FileSystemTest, ServerErrorsAreRetriedUntilEveryFileArrives) {
  auto paths = put_many("flaky", 600);
  for (const char* status : {"503", "500"}) {
    FaultProxy proxy(endpoint_, {"--fail-every", "7", "--fail-status", status});
    S3FileSystem fs(options_for(proxy.endpoint()));
    expect_read_many_exact(fs, paths, 4);
    // One request in seven fails, but never the same key twice: a retry
    // that falls on a seventh goes through, so fewer than 600/7 fail, by
    // how the retries interleave (78 seen under load).
    EXPECT_GE(proxy.stat("failed"), 50) << proxy.stats();
    EXPECT_EQ(fs.read(paths[1]).view(), body_for(1));
  }
}

TEST_F(S3FileSystemTest, ConnectionsDroppedMidBodyAreRetried) {
  auto paths = put_many("dropped", 600);
  FaultProxy proxy(endpoint_, {"--drop-every", "5"});
  S3FileSystem fs(options_for(proxy.endpoint()));
  expect_read_many_exact(fs, paths, 4);
  EXPECT_GE(proxy.stat("dropped"), 100) << proxy.stats();
  for (size_t index = 0; index < 10; ++index) EXPECT_EQ(fs.read(paths[index]).view(), body_for(index));
}

TEST_F(S3FileSystemTest, SlowAnswersAreWaitedForAndTimeoutsRetried) {
  auto paths = put_many("slow", 300);
  {
    FaultProxy proxy(endpoint_, {"--delay-every", "10", "--delay-ms", "300"});
    S3FileSystem fs(options_for(proxy.endpoint()));
    expect_read_many_exact(fs, paths, 4);
    EXPECT_GE(proxy.stat("delayed"), 30) << proxy.stats();
  }
  {
    FaultProxy proxy(endpoint_, {"--delay-every", "9", "--delay-ms", "3000"});
    S3Options options = options_for(proxy.endpoint());
    options.request_timeout = std::chrono::milliseconds(1000);
    S3FileSystem fs(options);
    expect_read_many_exact(fs, paths, 4);
    EXPECT_GE(proxy.stat("delayed"), 30) << proxy.stats();
  }
}

TEST_F(S3FileSystemTest, ExhaustedRetriesGiveACleanError) {
  direct_->write_file(uri("doomed.json"), "{}");
  FaultProxy proxy(endpoint_, {"--fail-every", "1", "--fail-status", "503"});
  S3FileSystem fs(options_for(proxy.endpoint()));
  std::string message = error_of([&] { fs.read(uri("doomed.json")); });
  EXPECT_EQ(proxy.stat("requests"), 3) << proxy.stats();
  EXPECT_NE(message.find(uri("doomed.json")), std::string::npos) << message;
  EXPECT_NE(message.find("503 SlowDown"), std::string::npos) << message;
  EXPECT_NE(message.find("3 attempts"), std::string::npos) << message;
  expect_no_secret(message);

  proxy.reset();
  message = error_of([&] { fs.read_many({{uri("doomed.json"), 2}}, 1, [](size_t, Bytes) {}); });
  EXPECT_EQ(proxy.stat("requests"), 3) << proxy.stats();
  EXPECT_NE(message.find("3 attempts"), std::string::npos) << message;
}

TEST_F(S3FileSystemTest, UnreachableServerGivesACleanError) {
  // A port that was free a moment ago: the proxy's, after it stopped.
  std::string endpoint;
  { endpoint = FaultProxy(endpoint_, {}).endpoint(); }
  S3Options options = options_for(endpoint);
  S3FileSystem fs(options);
  std::string message = error_of([&] { fs.read(uri("x.json")); });
  EXPECT_NE(message.find("3 attempts"), std::string::npos) << message;
  EXPECT_NE(message.find(endpoint), std::string::npos) << message;
  expect_no_secret(message);
}

TEST_F(S3FileSystemTest, SecretsNeverShowInMessages) {
  // An access key id s3rver does not know: 403 InvalidAccessKeyId.
  S3Options options = options_for(endpoint_);
  options.access_key_id = "AKIAIOSFODNN7SECRETID";
  S3FileSystem fs(options);
  std::string message = error_of([&] { fs.read(uri("x.json")); });
  EXPECT_NE(message.find("InvalidAccessKeyId"), std::string::npos) << message;
  EXPECT_EQ(message.find("AKIAIOSFODNN7SECRETID"), std::string::npos) << message;
  expect_no_secret(message);
  message = error_of([&] { fs.list(uri("x"), {}); });
  EXPECT_EQ(message.find("AKIAIOSFODNN7SECRETID"), std::string::npos) << message;
  expect_no_secret(message);
  message = error_of([&] { fs.write_file(uri("y.json"), kSecret); });
  expect_no_secret(message);
}

TEST_F(S3FileSystemTest, EverySignatureIsTheOneS3WouldCompute) {
  FaultProxy proxy(endpoint_, {"--verify-sigv4", kSecret, "--sigv4-region", "us-east-1"});
  S3Options options = options_for(proxy.endpoint());
  options.multipart_threshold = 5 * kMiB;
  options.part_size = 5 * kMiB;
  S3FileSystem fs(options);
  auto paths = put_many("signed", 1005);
  auto files = fs.list(uri("signed/"), {".json"});  // two pages: a continuation token
  ASSERT_EQ(files.size(), 1005u);
  expect_read_many_exact(fs, paths, 2);
  fs.write_file(uri("signed/a b+c(1).json"), "{}");
  EXPECT_EQ(fs.read(uri("signed/a b+c(1).json")).view(), "{}");
  auto big = fs.create(uri("signed/big.bin"));
  big->write(std::string(11 * kMiB, 'b'));
  big->close();
  // No '+' in a copied key: S3 wants it as %2B in x-amz-copy-source, which
  // s3rver does not decode.
  fs.write_file(uri("signed/year=2018/a b(1)=x.json"), "{}");
  fs.replace_tree(uri("signed/year=2018"), uri("copied"));
  EXPECT_TRUE(fs.exists(uri("copied/a b(1)=x.json")));
  fs.remove_all(uri("signed"));
  EXPECT_FALSE(fs.exists(uri("signed")));
  EXPECT_GT(proxy.stat("signatures_checked"), 1010) << proxy.stats();
  EXPECT_EQ(proxy.stat("signature_mismatches"), 0) << proxy.stats();

  // And the proxy does catch a wrong secret.
  options.secret_access_key = "not-the-secret";
  S3FileSystem wrong(options);
  std::string message = error_of([&] { wrong.read(paths[0]); });
  EXPECT_NE(message.find("SignatureDoesNotMatch"), std::string::npos) << message;
  EXPECT_NE(message.find("secret access key"), std::string::npos) << message;
}

TEST_F(S3FileSystemTest, UnsignedRequestsCarryNoCredentials) {
  direct_->write_file(uri("public/a.json"), "{\"a\":1}");
  FaultProxy proxy(endpoint_, {"--verify-sigv4", kSecret});
  S3Options options = options_for(proxy.endpoint());
  options.no_sign_request = true;
  S3FileSystem fs(options);
  EXPECT_EQ(fs.list(uri("public"), {".json"}).size(), 1u);
  EXPECT_EQ(fs.read(uri("public/a.json")).view(), "{\"a\":1}");
  EXPECT_EQ(proxy.stat("signatures_checked"), 0) << proxy.stats();
  EXPECT_EQ(proxy.stat("requests"), 2) << proxy.stats();
}

TEST_F(S3FileSystemTest, ReplaceTreePutsTheStagedObjectsInPlace) {
  direct_->write_file(uri("lake/songs/a.parquet"), "old a");
  direct_->write_file(uri("lake/songs/old/b.parquet"), "old b");
  direct_->write_file(uri("lake/songs-other/keep.parquet"), "keep");
  direct_->write_file(uri("staging/songs/a.parquet"), "new a");
  direct_->write_file(uri("staging/songs/year=2018/c.parquet"), "new c");
  direct_->replace_tree(uri("staging/songs"), uri("lake/songs"));
  auto files = direct_->list(uri("lake/songs"), {});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, uri("lake/songs/a.parquet"));
  EXPECT_EQ(files[1].path, uri("lake/songs/year=2018/c.parquet"));
  EXPECT_EQ(direct_->read(uri("lake/songs/a.parquet")).view(), "new a");
  EXPECT_EQ(direct_->read(uri("lake/songs/year=2018/c.parquet")).view(), "new c");
  // The staged tree stays whole, for a commit to run again after a failure.
  EXPECT_EQ(direct_->list(uri("staging/songs"), {}).size(), 2u);
  EXPECT_TRUE(direct_->exists(uri("lake/songs-other/keep.parquet")));
  // Into a target that does not exist yet.
  direct_->write_file(uri("staging/users/u.parquet"), "u");
  direct_->replace_tree(uri("staging/users"), uri("lake/users"));
  EXPECT_EQ(direct_->read(uri("lake/users/u.parquet")).view(), "u");
  std::string message = error_of([&] { direct_->replace_tree(uri("staging/none"), uri("lake/songs")); });
  EXPECT_NE(message.find("nothing is staged"), std::string::npos) << message;
}

TEST_F(S3FileSystemTest, CopyFileCopiesOneObjectServerSide) {
  direct_->write_file(uri("lake/songplays/year=2018/month=11/part-00000.parquet"), "plays");
  direct_->copy_file(uri("lake/songplays/year=2018/month=11/part-00000.parquet"),
                     uri("staging/songplays/year=2018/month=11/part-00000.parquet"));
  EXPECT_EQ(direct_->read(uri("staging/songplays/year=2018/month=11/part-00000.parquet")).view(), "plays");
  std::string message = error_of([&] { direct_->copy_file(uri("lake/none.parquet"), uri("staging/none.parquet")); });
  EXPECT_NE(message.find("lake/none.parquet"), std::string::npos) << message;
}

// A swap that fails while copying leaves a mix of old and new objects; an
// old marker the staged tree lacks must be gone by then, so that it cannot
// vouch for the mix.
TEST_F(S3FileSystemTest, ReplaceTreeThatFailsWhileCopyingLeavesNoOldMarker) {
  direct_->write_file(uri("lake/songs/a.parquet"), "old a");
  direct_->write_file(uri("lake/songs/b.parquet"), "old b");
  direct_->write_file(uri("lake/songs/_SUCCESS"), "");
  direct_->write_file(uri("staging/songs/a.parquet"), "new a");
  direct_->write_file(uri("staging/songs/b.parquet"), "new b");
  FaultProxy proxy(endpoint_, {"--fail-every", "1", "--fail-match", "^/[^/]+/lake/songs/b\\.parquet$"});
  S3FileSystem fs(options_for(proxy.endpoint()));
  std::string message = error_of([&] { fs.replace_tree(uri("staging/songs"), uri("lake/songs")); });
  EXPECT_NE(message.find("failed while copying"), std::string::npos) << message;
  EXPECT_EQ(proxy.stat("failed"), 3) << proxy.stats();
  EXPECT_FALSE(direct_->exists(uri("lake/songs/_SUCCESS")));
  EXPECT_EQ(direct_->read(uri("lake/songs/a.parquet")).view(), "new a");
  EXPECT_EQ(direct_->read(uri("lake/songs/b.parquet")).view(), "old b");
  EXPECT_TRUE(direct_->exists(uri("staging/songs/b.parquet"))) << "the staged tree is whole";
}

TEST_F(S3FileSystemTest, RemoveAllRemovesTheObjectAndEverythingBelowIt) {
  put_many("gone", 1200);
  direct_->write_file(uri("gone"), "the object itself");
  direct_->write_file(uri("gone-not/x.json"), "{}");
  direct_->remove_all(uri("gone"));
  EXPECT_FALSE(direct_->exists(uri("gone")));
  EXPECT_FALSE(direct_->exists(uri("gone/00001.json")));
  EXPECT_TRUE(direct_->exists(uri("gone-not/x.json")));
  direct_->remove_all(uri("never-there"));
  direct_->remove_all("s3://" + sparkify::testing::unique_bucket("sparkify-absent") + "/x");
}

}  // namespace
}  // namespace sparkify::io
