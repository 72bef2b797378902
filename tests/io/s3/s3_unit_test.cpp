// The offline parts of the S3 file system: URIs, option resolution from a
// made-up environment and made-up ~/.aws files, the XML reader, request
// encoding and the retry policy.
#include <gtest/gtest.h>

#include <map>

#include "io/s3/s3_options.h"
#include "io/s3/s3_request_internal.h"
#include "io/s3/s3_uri.h"
#include "io/s3/s3_xml_internal.h"
#include "model/error.h"
#include "test_support.h"

namespace sparkify::io {
namespace {

using namespace std::chrono_literals;
using s3_internal::Verdict;
using sparkify::testing::TempDir;
using sparkify::testing::write_text;

// ---------------------------------------------------------------- URIs

TEST(S3Uri, SplitsBucketAndKey) {
  S3Uri uri = parse_s3_uri("s3://udacity-dend/song_data/A/B");
  EXPECT_EQ(uri.bucket, "udacity-dend");
  EXPECT_EQ(uri.key, "song_data/A/B");
  EXPECT_EQ(uri.str(), "s3://udacity-dend/song_data/A/B");
  EXPECT_EQ(parse_s3_uri("s3://bucket").key, "");
  EXPECT_EQ(parse_s3_uri("s3://bucket/").key, "");
  EXPECT_EQ(parse_s3_uri("s3://bucket/prefix/").key, "prefix/");
  EXPECT_EQ(parse_s3_uri("s3://bucket").str(), "s3://bucket");
}

TEST(S3Uri, RecognisesOnlyS3Scheme) {
  EXPECT_TRUE(is_s3_uri("s3://b/k"));
  EXPECT_FALSE(is_s3_uri("/data/song_data"));
  EXPECT_FALSE(is_s3_uri("s3a://b/k"));
  EXPECT_FALSE(is_s3_uri("S3://b/k"));
}

TEST(S3Uri, BadUrisAreUsageErrorsNamingThem) {
  for (const char* bad : {"s3://", "s3:///key", "s3://bad bucket/key", "http://bucket/key"}) {
    try {
      parse_s3_uri(bad);
      ADD_FAILURE() << bad;
    } catch (const UsageError& error) {
      EXPECT_NE(std::string(error.what()).find(bad), std::string::npos) << error.what();
    }
  }
}

// ---------------------------------------------------------------- options

class FakeEnvironment {
 public:
  FakeEnvironment& set(const std::string& name, const std::string& value) {
    values_[name] = value;
    return *this;
  }
  std::function<std::optional<std::string>(const std::string&)> getenv() const {
    return [this](const std::string& name) -> std::optional<std::string> {
      auto it = values_.find(name);
      if (it == values_.end()) return std::nullopt;
      return it->second;
    };
  }

 private:
  std::map<std::string, std::string> values_;
};

class S3OptionsTest : public ::testing::Test {
 protected:
  S3Options resolve(const S3Overrides& overrides = {}) const {
    return resolve_s3_options(overrides, env_.getenv(), home_.str());
  }
  std::string usage_error(const S3Overrides& overrides = {}) const {
    try {
      resolve(overrides);
    } catch (const UsageError& error) {
      return error.what();
    }
    ADD_FAILURE() << "no UsageError";
    return {};
  }
  void write_credentials(const std::string& text) { write_text(home_ / ".aws/credentials", text); }
  void write_config(const std::string& text) { write_text(home_ / ".aws/config", text); }

  TempDir home_;
  FakeEnvironment env_;
};

TEST_F(S3OptionsTest, DefaultsToUsEast1OnAwsWithoutCredentialsWhenUnsigned) {
  S3Overrides overrides;
  overrides.no_sign_request = true;
  S3Options options = resolve(overrides);
  EXPECT_EQ(options.region, "us-east-1");
  EXPECT_EQ(options.endpoint, "");
  EXPECT_FALSE(options.path_style);
  EXPECT_TRUE(options.no_sign_request);
  EXPECT_EQ(options.access_key_id, "");
  EXPECT_EQ(options.profile, "default");
  EXPECT_EQ(options.max_connections, 64u);
  EXPECT_EQ(options.multipart_threshold, 8 * kMiB);
  EXPECT_EQ(options.part_size, 8 * kMiB);
  EXPECT_EQ(options.max_attempts, 3);
}

TEST_F(S3OptionsTest, NoCredentialsAnywhereIsAUsageErrorThatSaysWhatToDo) {
  std::string message = usage_error();
  EXPECT_NE(message.find("AWS_ACCESS_KEY_ID"), std::string::npos) << message;
  EXPECT_NE(message.find("--no-sign-request"), std::string::npos) << message;
}

TEST_F(S3OptionsTest, EnvironmentCredentialsAndRegion) {
  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", "secretenv");
  env_.set("AWS_SESSION_TOKEN", "tokenenv").set("AWS_DEFAULT_REGION", "eu-west-1");
  S3Options options = resolve();
  EXPECT_EQ(options.access_key_id, "AKIDENV");
  EXPECT_EQ(options.secret_access_key, "secretenv");
  EXPECT_EQ(options.session_token, "tokenenv");
  EXPECT_EQ(options.region, "eu-west-1");
  env_.set("AWS_REGION", "eu-central-1");
  EXPECT_EQ(resolve().region, "eu-central-1");
  S3Overrides overrides;
  overrides.region = "ap-south-1";
  EXPECT_EQ(resolve(overrides).region, "ap-south-1");
}

TEST_F(S3OptionsTest, ExplicitCredentialsWinAndMustComeInPairs) {
  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", "secretenv");
  S3Overrides overrides;
  overrides.access_key_id = "AKIDFLAG";
  overrides.secret_access_key = "secretflag";
  S3Options options = resolve(overrides);
  EXPECT_EQ(options.access_key_id, "AKIDFLAG");
  EXPECT_EQ(options.secret_access_key, "secretflag");
  EXPECT_EQ(options.session_token, "");
  overrides.secret_access_key.reset();
  std::string message = usage_error(overrides);
  EXPECT_EQ(message.find("AKIDFLAG"), std::string::npos) << message;
}

TEST_F(S3OptionsTest, HalfTheEnvironmentCredentialsIsAnError) {
  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  std::string message = usage_error();
  EXPECT_NE(message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << message;
  EXPECT_EQ(message.find("AKIDENV"), std::string::npos) << message;
}

TEST_F(S3OptionsTest, SharedFilesGiveCredentialsRegionAndEndpoint) {
  write_credentials(
      "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = secretdefault\n\n"
      "[work]\naws_access_key_id=AKIDWORK\naws_secret_access_key=secretwork\naws_session_token=tokenwork\n");
  write_config("[default]\nregion = us-west-2\n\n[profile work]\nregion = eu-north-1\n"
               "endpoint_url = http://127.0.0.1:9000/\n");
  S3Options options = resolve();
  EXPECT_EQ(options.access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(options.region, "us-west-2");
  EXPECT_EQ(options.endpoint, "");
  EXPECT_NE(options.credentials_source.find("profile 'default'"), std::string::npos);

  env_.set("AWS_PROFILE", "work");
  options = resolve();
  EXPECT_EQ(options.profile, "work");
  EXPECT_EQ(options.access_key_id, "AKIDWORK");
  EXPECT_EQ(options.session_token, "tokenwork");
  EXPECT_EQ(options.region, "eu-north-1");
  EXPECT_EQ(options.endpoint, "http://127.0.0.1:9000");
  EXPECT_TRUE(options.path_style);
}

TEST_F(S3OptionsTest, EnvironmentCredentialsBeatAwsProfileButNotAnExplicitProfile) {
  write_credentials("[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = secretwork\n");
  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", "secretenv").set("AWS_PROFILE", "work");
  EXPECT_EQ(resolve().access_key_id, "AKIDENV");
  S3Overrides overrides;
  overrides.profile = "work";
  EXPECT_EQ(resolve(overrides).access_key_id, "AKIDWORK");
}

TEST_F(S3OptionsTest, AwsProfileDefaultNeedsNoFiles) {
  env_.set("AWS_PROFILE", "default").set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", "secretenv");
  EXPECT_EQ(resolve().access_key_id, "AKIDENV");
}

TEST_F(S3OptionsTest, CredentialsMayLiveInTheConfigFile) {
  write_config("[profile cfg]\naws_access_key_id = AKIDCFG\naws_secret_access_key = secretcfg\nregion = sa-east-1\n");
  S3Overrides overrides;
  overrides.profile = "cfg";
  S3Options options = resolve(overrides);
  EXPECT_EQ(options.access_key_id, "AKIDCFG");
  EXPECT_EQ(options.region, "sa-east-1");
}

TEST_F(S3OptionsTest, FileLocationsComeFromTheEnvironment) {
  write_text(home_ / "elsewhere/creds", "[default]\naws_access_key_id = AKIDELSE\naws_secret_access_key = s\n");
  write_text(home_ / "elsewhere/conf", "[default]\nregion = ca-central-1\n");
  env_.set("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds").set("AWS_CONFIG_FILE", home_ / "elsewhere/conf");
  S3Options options = resolve();
  EXPECT_EQ(options.access_key_id, "AKIDELSE");
  EXPECT_EQ(options.region, "ca-central-1");
}

TEST_F(S3OptionsTest, EndpointOrderAndNestedS3Settings) {
  write_credentials("[default]\naws_access_key_id = A\naws_secret_access_key = secretvalue\n");
  write_config("[default]\nendpoint_url = http://global:1\ns3 =\n  endpoint_url = http://nested:2\n"
               "  addressing_style = virtual\n");
  S3Options options = resolve();
  EXPECT_EQ(options.endpoint, "http://nested:2");
  EXPECT_FALSE(options.path_style);
  env_.set("AWS_ENDPOINT_URL", "http://env-any:3");
  EXPECT_EQ(resolve().endpoint, "http://env-any:3");
  env_.set("AWS_ENDPOINT_URL_S3", "https://env-s3:4");
  EXPECT_EQ(resolve().endpoint, "https://env-s3:4");
  S3Overrides overrides;
  overrides.endpoint = "http://flag:5";
  overrides.path_style = true;
  options = resolve(overrides);
  EXPECT_EQ(options.endpoint, "http://flag:5");
  EXPECT_TRUE(options.path_style);
  env_.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EXPECT_EQ(resolve().endpoint, "");
}

TEST_F(S3OptionsTest, MaxAttemptsFromFlagEnvironmentOrProfile) {
  write_credentials("[default]\naws_access_key_id = A\naws_secret_access_key = secretvalue\n");
  write_config("[default]\nmax_attempts = 5\n");
  EXPECT_EQ(resolve().max_attempts, 5);
  env_.set("AWS_MAX_ATTEMPTS", "7");
  EXPECT_EQ(resolve().max_attempts, 7);
  S3Overrides overrides;
  overrides.max_attempts = 2;
  EXPECT_EQ(resolve(overrides).max_attempts, 2);
  env_.set("AWS_MAX_ATTEMPTS", "0");
  std::string message = usage_error();
  EXPECT_NE(message.find("AWS_MAX_ATTEMPTS"), std::string::npos) << message;
  env_.set("AWS_MAX_ATTEMPTS", "three");
  EXPECT_NE(usage_error().find("'three'"), std::string::npos);
}

TEST_F(S3OptionsTest, ServicesSectionGivesTheEndpoint) {
  write_credentials("[default]\naws_access_key_id = A\naws_secret_access_key = secretvalue\n");
  write_config("[default]\nservices = local\n\n[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:4568\n");
  S3Options options = resolve();
  EXPECT_EQ(options.endpoint, "http://127.0.0.1:4568");
  EXPECT_TRUE(options.path_style);
}

TEST_F(S3OptionsTest, BadEndpointAndUnknownProfileAndSsoProfileAreUsageErrors) {
  S3Overrides overrides;
  overrides.no_sign_request = true;
  overrides.endpoint = "127.0.0.1:4568";
  EXPECT_NE(usage_error(overrides).find("http://"), std::string::npos);
  overrides.endpoint.reset();
  overrides.profile = "nobody";
  EXPECT_NE(usage_error(overrides).find("'nobody'"), std::string::npos);
  write_config("[profile sso]\nsso_session = corp\nregion = us-east-2\n");
  overrides = {};
  overrides.profile = "sso";
  std::string message = usage_error(overrides);
  EXPECT_NE(message.find("sso_session"), std::string::npos) << message;
  EXPECT_NE(message.find("export-credentials"), std::string::npos) << message;
}

TEST_F(S3OptionsTest, DescriptionHoldsNoSecret) {
  env_.set("AWS_ACCESS_KEY_ID", "AKIDDESCRIBE").set("AWS_SECRET_ACCESS_KEY", "secretdescribe");
  env_.set("AWS_SESSION_TOKEN", "tokendescribe");
  std::string text = describe_s3_options(resolve());
  EXPECT_NE(text.find("us-east-1"), std::string::npos) << text;
  EXPECT_EQ(text.find("AKIDDESCRIBE"), std::string::npos) << text;
  EXPECT_EQ(text.find("secretdescribe"), std::string::npos) << text;
  EXPECT_EQ(text.find("tokendescribe"), std::string::npos) << text;
}

TEST_F(S3OptionsTest, DescriptionAndErrorsHoldNoEndpointPassword) {
  S3Overrides overrides;
  overrides.no_sign_request = true;
  overrides.endpoint = "http://etl:Sup3rS3cret@127.0.0.1:4568/";
  std::string text = describe_s3_options(resolve(overrides));
  EXPECT_NE(text.find("endpoint http://[redacted]@127.0.0.1:4568"), std::string::npos) << text;
  EXPECT_EQ(text.find("Sup3rS3cret"), std::string::npos) << text;
  overrides.endpoint = "ftp://etl:Sup3rS3cret@127.0.0.1:4568";
  std::string message = usage_error(overrides);
  EXPECT_NE(message.find("ftp://[redacted]@127.0.0.1:4568"), std::string::npos) << message;
  EXPECT_EQ(message.find("Sup3rS3cret"), std::string::npos) << message;
}

TEST(S3Endpoint, UserinfoIsRedactedAndNothingElse) {
  EXPECT_EQ(redact_url_userinfo("http://etl:pw@127.0.0.1:9000/base"), "http://[redacted]@127.0.0.1:9000/base");
  EXPECT_EQ(redact_url_userinfo("https://etl@minio.local"), "https://[redacted]@minio.local");
  EXPECT_EQ(redact_url_userinfo("http://etl:p@ss@host"), "http://[redacted]@host") << "a password holding '@'";
  EXPECT_EQ(redact_url_userinfo("etl:pw@host:1"), "[redacted]@host:1");
  EXPECT_EQ(redact_url_userinfo("http://127.0.0.1:4568"), "http://127.0.0.1:4568");
  EXPECT_EQ(redact_url_userinfo("http://host/a@b?c@d#e@f"), "http://host/a@b?c@d#e@f");
  EXPECT_EQ(redact_url_userinfo(""), "");
  EXPECT_EQ(url_userinfo("http://etl:pw@host/x"), "etl:pw");
}

TEST(S3Retry, RedactsTheEndpointsUserAndPassword) {
  S3Options options;
  options.endpoint = "http://etl:Sup3rS3cret@127.0.0.1:1";
  EXPECT_EQ(s3_internal::redact("cannot list s3://b/k; check that http://etl:Sup3rS3cret@127.0.0.1:1/b answers, "
                                "etl:Sup3rS3cret@127.0.0.1",
                                options),
            "cannot list s3://b/k; check that http://[redacted]@127.0.0.1:1/b answers, [redacted]@127.0.0.1");
}

// ---------------------------------------------------------------- XML

TEST(S3Xml, ParsesAListPageWithEntitiesAndNamespaces) {
  auto page = s3_internal::parse_list_page(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix/>"
      "<KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>"
      "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
      "<Contents><Key>a&amp;b/&lt;c&gt; &#233;&#x20AC;.json</Key><Size>42</Size>"
      "<ETag>&quot;abc&quot;</ETag></Contents>\n"
      "<Contents><Key>z.json</Key><Size>0</Size></Contents></ListBucketResult>");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "a&b/<c> \xC3\xA9\xE2\x82\xAC.json");
  EXPECT_EQ(page->objects[0].size, 42u);
  EXPECT_EQ(page->objects[1].key, "z.json");
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3Xml, ParsesErrorsUploadIdsAndDeleteResults) {
  auto error = s3_internal::parse_error(
      "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist"
      "</Message><BucketName>x</BucketName></Error>");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "NoSuchBucket");
  EXPECT_EQ(error->message, "The specified bucket does not exist");
  EXPECT_FALSE(s3_internal::parse_error("<ListBucketResult/>"));

  auto upload = s3_internal::parse_upload_id(
      "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE</UploadId>"
      "</InitiateMultipartUploadResult>");
  ASSERT_TRUE(upload);
  EXPECT_EQ(*upload, "VXBsb2FkIElE");

  auto deleted = s3_internal::parse_delete_result(
      "<DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied</Code>"
      "<Message>Access Denied</Message></Error></DeleteResult>");
  ASSERT_TRUE(deleted);
  ASSERT_EQ(deleted->size(), 1u);
  EXPECT_EQ((*deleted)[0].key, "b");
  EXPECT_EQ((*deleted)[0].code, "AccessDenied");
}

TEST(S3Xml, RefusesMalformedDocuments) {
  EXPECT_FALSE(s3_internal::parse_xml(""));
  EXPECT_FALSE(s3_internal::parse_xml("<?xml version=\"1.0\"?>"));
  EXPECT_FALSE(s3_internal::parse_xml("<a><b></a></b>"));
  EXPECT_FALSE(s3_internal::parse_xml("<a>&bogus;</a>"));
  EXPECT_FALSE(s3_internal::parse_xml("<a></a><b></b>"));
  EXPECT_FALSE(s3_internal::parse_xml("<a>"));
  EXPECT_FALSE(s3_internal::parse_xml("<s3:></s3:>"));  // a prefix and no name
  EXPECT_FALSE(s3_internal::parse_xml("<a><s3:/></a>"));
  EXPECT_FALSE(s3_internal::parse_list_page("<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents>"
                                            "</ListBucketResult>"));
  EXPECT_FALSE(s3_internal::parse_list_page("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"));
  auto cdata = s3_internal::parse_xml("<!-- c --><a attr=\"x>y\"><![CDATA[<raw>&]]></a>");
  ASSERT_TRUE(cdata);
  EXPECT_EQ(cdata->text, "<raw>&");
}

// Millions of nested elements once overflowed the stack while the tree was
// freed, one frame a level.
TEST(S3Xml, RefusesDocumentsNestedDeeperThanTheLimit) {
  auto nested = [](size_t depth, const std::string& innermost) {
    std::string document;
    for (size_t level = 0; level < depth; ++level) document += "<a>";
    document += innermost;
    for (size_t level = 0; level < depth; ++level) document += "</a>";
    return document;
  };
  EXPECT_TRUE(s3_internal::parse_xml(nested(s3_internal::kMaxXmlDepth, "")));
  EXPECT_TRUE(s3_internal::parse_xml(nested(s3_internal::kMaxXmlDepth - 1, "<b/>")));
  EXPECT_FALSE(s3_internal::parse_xml(nested(s3_internal::kMaxXmlDepth, "<b/>")));
  EXPECT_FALSE(s3_internal::parse_xml(nested(s3_internal::kMaxXmlDepth + 1, "")));
  EXPECT_FALSE(s3_internal::parse_list_page("<ListBucketResult>" + nested(4'000'000, "") + "</ListBucketResult>"));
}

TEST(S3Xml, EscapesText) { EXPECT_EQ(s3_internal::xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;"); }

// ---------------------------------------------------------------- requests

TEST(S3Request, EncodesAsSigV4Canonicalises) {
  EXPECT_EQ(s3_internal::uri_encode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(s3_internal::uri_encode("a b+c=d/e", false), "a%20b%2Bc%3Dd%2Fe");
  EXPECT_EQ(s3_internal::uri_encode("a b+c=d/e", true), "a%20b%2Bc%3Dd/e");
  EXPECT_EQ(s3_internal::uri_encode("\xC3\xA9", true), "%C3%A9");
}

TEST(S3Request, QueryIsSortedEncodedAndKeepsEmptyValues) {
  EXPECT_EQ(s3_internal::canonical_query({{"prefix", "song_data/A"}, {"list-type", "2"},
                                          {"continuation-token", "a+b/c="}}),
            "continuation-token=a%2Bb%2Fc%3D&list-type=2&prefix=song_data%2FA");
  EXPECT_EQ(s3_internal::canonical_query({{"uploads", ""}}), "uploads=");
  EXPECT_EQ(s3_internal::canonical_query({{"uploadId", "x"}, {"partNumber", "10"}}), "partNumber=10&uploadId=x");
  EXPECT_EQ(s3_internal::canonical_query({}), "");
}

TEST(S3Request, CopySourceKeepsHeaderSafeCharactersPlain) {
  EXPECT_EQ(s3_internal::copy_source("b", "lake/year=2018/a b+c?.parquet"), "/b/lake/year=2018/a%20b%2Bc%3F.parquet");
}

TEST(S3Request, UrlsForAwsAndCustomEndpoints) {
  S3Options options;
  options.region = "eu-west-1";
  EXPECT_EQ(s3_internal::object_url(options, "my-bucket", "a b/c.json", "list-type=2"),
            "https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c.json?list-type=2");
  EXPECT_EQ(s3_internal::object_url(options, "my-bucket", "", ""), "https://my-bucket.s3.eu-west-1.amazonaws.com/");
  // Dots would break the TLS wildcard certificate: path-style.
  EXPECT_EQ(s3_internal::object_url(options, "my.bucket", "k", ""), "https://s3.eu-west-1.amazonaws.com/my.bucket/k");
  options.region = "cn-north-1";
  EXPECT_EQ(s3_internal::object_url(options, "my-bucket", "k", ""), "https://my-bucket.s3.cn-north-1.amazonaws.com.cn/k");
  options.endpoint = "http://127.0.0.1:4568";
  options.path_style = true;
  EXPECT_EQ(s3_internal::object_url(options, "b-1", "k/=", "uploads="), "http://127.0.0.1:4568/b-1/k/%3D?uploads=");
  EXPECT_EQ(s3_internal::object_url(options, "b-1", "", ""), "http://127.0.0.1:4568/b-1");
  options.endpoint = "https://minio.local:9000";
  options.path_style = false;
  EXPECT_EQ(s3_internal::object_url(options, "b-1", "k", ""), "https://b-1.minio.local:9000/k");
}

TEST(S3Request, Digests) {
  EXPECT_EQ(s3_internal::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(s3_internal::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(s3_internal::md5_base64(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
}

// ---------------------------------------------------------------- retries

TEST(S3Retry, ClassifiesAsTheAwsSdksDo) {
  EXPECT_EQ(s3_internal::classify(true, false, 200, ""), Verdict::kSuccess);
  EXPECT_EQ(s3_internal::classify(true, false, 204, ""), Verdict::kSuccess);
  for (long status : {500L, 502L, 503L, 504L}) EXPECT_EQ(s3_internal::classify(true, false, status, ""), Verdict::kRetry);
  EXPECT_EQ(s3_internal::classify(true, false, 503, "SlowDown"), Verdict::kRetry);
  EXPECT_EQ(s3_internal::classify(true, false, 400, "RequestTimeout"), Verdict::kRetry);
  // CopyObject and CompleteMultipartUpload may fail inside a 200.
  EXPECT_EQ(s3_internal::classify(true, false, 200, "InternalError"), Verdict::kRetry);
  EXPECT_EQ(s3_internal::classify(true, false, 200, "AccessDenied"), Verdict::kFail);
  EXPECT_EQ(s3_internal::classify(true, false, 403, "AccessDenied"), Verdict::kFail);
  EXPECT_EQ(s3_internal::classify(true, false, 404, "NoSuchKey"), Verdict::kFail);
  EXPECT_EQ(s3_internal::classify(true, false, 404, "NoSuchBucket"), Verdict::kFail);
  EXPECT_EQ(s3_internal::classify(true, false, 400, "InvalidArgument"), Verdict::kFail);
  EXPECT_EQ(s3_internal::classify(true, false, 301, "PermanentRedirect"), Verdict::kFail);
  // Timeouts, dropped connections and bodies cut short; not a DNS failure.
  EXPECT_EQ(s3_internal::classify(false, true, 0, ""), Verdict::kRetry);
  EXPECT_EQ(s3_internal::classify(false, false, 0, ""), Verdict::kFail);
}

TEST(S3Retry, BackoffIsFullJitterUnderACappedExponential) {
  EXPECT_EQ(s3_internal::retry_delay(1, 1000ms, 20'000ms, 0.0), 0ms);
  EXPECT_EQ(s3_internal::retry_delay(1, 1000ms, 20'000ms, 0.5), 500ms);
  EXPECT_EQ(s3_internal::retry_delay(2, 1000ms, 20'000ms, 0.5), 1000ms);
  EXPECT_EQ(s3_internal::retry_delay(3, 1000ms, 20'000ms, 0.999), 3996ms);
  EXPECT_EQ(s3_internal::retry_delay(10, 1000ms, 20'000ms, 0.5), 10'000ms);
  EXPECT_EQ(s3_internal::retry_delay(100, 1000ms, 20'000ms, 1.0), 20'000ms);
}

TEST(S3Retry, RedactsEverySecret) {
  S3Options options;
  options.access_key_id = "AKIDREDACT";
  options.secret_access_key = "secret/value+1";
  options.session_token = "token-value";
  EXPECT_EQ(s3_internal::redact("AKIDREDACT secret/value+1 x token-value AKIDREDACT", options),
            "[redacted] [redacted] x [redacted] [redacted]");
  EXPECT_EQ(s3_internal::redact("nothing here", options), "nothing here");
}

}  // namespace
}  // namespace sparkify::io
