// Private to the S3 module: the small XML reader the S3 responses need, and
// the parsers of the few responses the file system reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sparkify::io::s3_internal {

// An element with its character data (entities decoded, CDATA kept) and its
// child elements; namespace prefixes and attributes are dropped.
struct XmlElement {
  std::string name;
  std::string text;
  std::vector<XmlElement> children;

  // The first child named `name`, or nullptr.
  const XmlElement* child(std::string_view child_name) const;
  // The text of the first child named `name`, "" when there is none.
  std::string child_text(std::string_view child_name) const;
};

// Elements nested deeper than this make a document malformed; S3's
// responses nest three or four.
inline constexpr size_t kMaxXmlDepth = 64;

// Parses a whole document into its root element; nullopt when it is not
// well-formed (unbalanced tags, a tag with no name but its prefix, a bad
// entity, nothing but a prolog) or nests elements deeper than kMaxXmlDepth.
std::optional<XmlElement> parse_xml(std::string_view document);

// `text` with & < > " ' escaped, for element content.
std::string xml_escape(std::string_view text);

// S3's <Error><Code/><Message/></Error>.
struct S3ErrorBody {
  std::string code;
  std::string message;
};
// nullopt unless the body is an <Error> document.
std::optional<S3ErrorBody> parse_error(std::string_view body);

struct ListedObject {
  std::string key;
  uint64_t size = 0;
  std::string etag;  // as listed, quotes included
};
// One page of ListObjectsV2.
struct ListPage {
  std::vector<ListedObject> objects;
  bool truncated = false;
  std::string next_continuation_token;
};
// nullopt unless the body is a <ListBucketResult> document.
std::optional<ListPage> parse_list_page(std::string_view body);

// The UploadId of an <InitiateMultipartUploadResult>; nullopt when absent.
std::optional<std::string> parse_upload_id(std::string_view body);

// The keys a DeleteObjects request could not delete, from <DeleteResult>.
struct DeleteFailure {
  std::string key;
  std::string code;
  std::string message;
};
// nullopt unless the body is a <DeleteResult> document.
std::optional<std::vector<DeleteFailure>> parse_delete_result(std::string_view body);

}  // namespace sparkify::io::s3_internal
