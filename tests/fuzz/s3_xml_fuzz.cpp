// Fuzzes the S3 module's XML reader and its response parsers
// (io/s3/s3_xml_internal.h) on one response body. Beyond not crashing:
//  - a parsed document, written back out with xml_escape, parses to the same
//    tree;
//  - a ListObjectsV2 page has no empty key, a continuation token whenever it
//    is truncated, no more objects than the body has <Contents> elements,
//    only keys made of the body's own characters (when it has no entity),
//    and survives being written out and parsed again;
//  - an <Error>, an <InitiateMultipartUploadResult> and a <DeleteResult> are
//    recognised only by their root element.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "io/s3/s3_xml_internal.h"

namespace {

using namespace sparkify::io::s3_internal;
using sparkify::fuzz::count_of;
using sparkify::fuzz::is_subsequence;

// Names are kept without their namespace prefix, so a name that still holds
// a ':' (from "a:b:c") would lose another part when read again, and one that
// starts with '!' or '?' (from "a:!b") would be read as a declaration.
bool names_are_plain(const XmlElement& element) {
  FUZZ_CHECK(!element.name.empty());
  if (element.name.find(':') != std::string::npos || element.name[0] == '!' || element.name[0] == '?') {
    return false;
  }
  for (const XmlElement& child : element.children) {
    if (!names_are_plain(child)) return false;
  }
  return true;
}

void write_xml(const XmlElement& element, std::string& out) {
  out += '<' + element.name + '>' + xml_escape(element.text);
  for (const XmlElement& child : element.children) write_xml(child, out);
  out += "</" + element.name + '>';
}

bool same(const XmlElement& a, const XmlElement& b) {
  if (a.name != b.name || a.text != b.text || a.children.size() != b.children.size()) return false;
  for (size_t child_idx = 0; child_idx < a.children.size(); ++child_idx) {
    if (!same(a.children[child_idx], b.children[child_idx])) return false;
  }
  return true;
}

// The page as S3 would send it.
std::string write_list_page(const ListPage& page) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult>";
  for (const ListedObject& object : page.objects) {
    out += "<Contents><Key>" + xml_escape(object.key) + "</Key><Size>" + std::to_string(object.size) +
           "</Size></Contents>";
  }
  out += std::string("<IsTruncated>") + (page.truncated ? "true" : "false") + "</IsTruncated>";
  out += "<NextContinuationToken>" + xml_escape(page.next_continuation_token) + "</NextContinuationToken>";
  return out + "</ListBucketResult>";
}

bool same(const ListPage& a, const ListPage& b) {
  if (a.truncated != b.truncated || a.next_continuation_token != b.next_continuation_token ||
      a.objects.size() != b.objects.size()) {
    return false;
  }
  for (size_t object_idx = 0; object_idx < a.objects.size(); ++object_idx) {
    if (a.objects[object_idx].key != b.objects[object_idx].key ||
        a.objects[object_idx].size != b.objects[object_idx].size) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  // Without an entity the parser only copies: every text it returns is made
  // of the body's characters, in order.
  bool copies_only = body.find('&') == std::string_view::npos;

  std::optional<XmlElement> root = parse_xml(body);
  if (root && names_are_plain(*root)) {
    std::string again;
    write_xml(*root, again);
    std::optional<XmlElement> reparsed = parse_xml(again);
    FUZZ_CHECK(reparsed && same(*root, *reparsed));
  }

  if (std::optional<ListPage> page = parse_list_page(body)) {
    FUZZ_CHECK(root && root->name == "ListBucketResult");
    FUZZ_CHECK(!page->truncated || !page->next_continuation_token.empty());
    FUZZ_CHECK(page->objects.size() <= count_of(body, "Contents") / 2);
    for (const ListedObject& object : page->objects) {
      FUZZ_CHECK(!object.key.empty());
      FUZZ_CHECK(!copies_only || is_subsequence(object.key, body));
    }
    FUZZ_CHECK(!copies_only || is_subsequence(page->next_continuation_token, body));
    std::optional<ListPage> reparsed = parse_list_page(write_list_page(*page));
    FUZZ_CHECK(reparsed && same(*page, *reparsed));
  }

  if (std::optional<S3ErrorBody> error = parse_error(body)) {
    FUZZ_CHECK(root && root->name == "Error");
    FUZZ_CHECK(!copies_only || (is_subsequence(error->code, body) && is_subsequence(error->message, body)));
  } else {
    FUZZ_CHECK(!root || root->name != "Error");
  }

  if (std::optional<std::string> upload_id = parse_upload_id(body)) {
    FUZZ_CHECK(root && root->name == "InitiateMultipartUploadResult");
    FUZZ_CHECK(!upload_id->empty());
    FUZZ_CHECK(!copies_only || is_subsequence(*upload_id, body));
  }

  if (std::optional<std::vector<DeleteFailure>> failures = parse_delete_result(body)) {
    FUZZ_CHECK(root && root->name == "DeleteResult");
    FUZZ_CHECK(failures->size() <= count_of(body, "Error"));
  } else {
    FUZZ_CHECK(!root || root->name != "DeleteResult");
  }
  return 0;
}
