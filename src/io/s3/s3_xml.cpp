#include <charconv>

#include "io/s3/s3_xml_internal.h"

namespace sparkify::io::s3_internal {

namespace {

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// Appends `raw` character data to `out` with its entities decoded; false on
// an entity XML does not define.
bool append_decoded(std::string& out, std::string_view raw) {
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    out.append(raw.substr(0, amp));
    if (amp == std::string_view::npos) return true;
    size_t semicolon = raw.find(';', amp);
    if (semicolon == std::string_view::npos) return false;
    std::string_view entity = raw.substr(amp + 1, semicolon - amp - 1);
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      bool hex = entity[1] == 'x' || entity[1] == 'X';
      std::string_view digits = entity.substr(hex ? 2 : 1);
      uint32_t code_point = 0;
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code_point, hex ? 16 : 10);
      if (error != std::errc() || end != digits.data() + digits.size() || digits.empty() || code_point > 0x10FFFF) {
        return false;
      }
      append_utf8(out, code_point);
    } else {
      return false;
    }
    raw.remove_prefix(semicolon + 1);
  }
  return true;
}

std::string local_name(std::string_view name) {
  size_t colon = name.find(':');
  return std::string(colon == std::string_view::npos ? name : name.substr(colon + 1));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

const XmlElement* XmlElement::child(std::string_view child_name) const {
  for (const auto& element : children) {
    if (element.name == child_name) return &element;
  }
  return nullptr;
}

std::string XmlElement::child_text(std::string_view child_name) const {
  const XmlElement* element = child(child_name);
  return element == nullptr ? std::string() : element->text;
}

std::optional<XmlElement> parse_xml(std::string_view document) {
  std::vector<XmlElement> open;
  std::optional<XmlElement> root;
  size_t pos = 0;
  auto close_element = [&](XmlElement element) -> bool {
    if (!open.empty()) {
      open.back().children.push_back(std::move(element));
      return true;
    }
    if (root) return false;  // a second root element
    root = std::move(element);
    return true;
  };
  while (pos < document.size()) {
    if (document[pos] != '<') {
      size_t next = document.find('<', pos);
      std::string_view raw = document.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
      if (open.empty()) {
        for (char c : raw) {
          if (!is_space(c)) return std::nullopt;
        }
      } else if (!append_decoded(open.back().text, raw)) {
        return std::nullopt;
      }
      pos = next == std::string_view::npos ? document.size() : next;
      continue;
    }
    std::string_view rest = document.substr(pos);
    if (rest.substr(0, 2) == "<?") {
      size_t end = document.find("?>", pos);
      if (end == std::string_view::npos) return std::nullopt;
      pos = end + 2;
    } else if (rest.substr(0, 4) == "<!--") {
      size_t end = document.find("-->", pos);
      if (end == std::string_view::npos) return std::nullopt;
      pos = end + 3;
    } else if (rest.substr(0, 9) == "<![CDATA[") {
      size_t end = document.find("]]>", pos);
      if (end == std::string_view::npos || open.empty()) return std::nullopt;
      open.back().text.append(document.substr(pos + 9, end - pos - 9));
      pos = end + 3;
    } else if (rest.substr(0, 2) == "<!") {
      size_t end = document.find('>', pos);
      if (end == std::string_view::npos) return std::nullopt;
      pos = end + 1;
    } else if (rest.substr(0, 2) == "</") {
      size_t end = document.find('>', pos);
      if (end == std::string_view::npos || open.empty()) return std::nullopt;
      std::string_view name = document.substr(pos + 2, end - pos - 2);
      while (!name.empty() && is_space(name.back())) name.remove_suffix(1);
      if (local_name(name) != open.back().name) return std::nullopt;
      XmlElement element = std::move(open.back());
      open.pop_back();
      if (!close_element(std::move(element))) return std::nullopt;
      pos = end + 1;
    } else {
      size_t name_end = pos + 1;
      while (name_end < document.size() && !is_space(document[name_end]) && document[name_end] != '>' &&
             document[name_end] != '/') {
        ++name_end;
      }
      if (name_end == pos + 1) return std::nullopt;
      // Attribute values may hold '>' inside quotes.
      size_t end = name_end;
      char quote = 0;
      for (; end < document.size(); ++end) {
        char c = document[end];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      if (end >= document.size()) return std::nullopt;
      XmlElement element;
      element.name = local_name(document.substr(pos + 1, name_end - pos - 1));
      // A prefix with nothing after it ("<s3:>") names nothing either.
      if (element.name.empty()) return std::nullopt;
      bool self_closing = document[end - 1] == '/';
      // The tree is freed recursively, one frame a level: a body of
      // millions of nested elements (from a broken or hostile endpoint)
      // would overflow the stack in the destructor.
      if (open.size() >= kMaxXmlDepth) return std::nullopt;
      if (self_closing) {
        if (!close_element(std::move(element))) return std::nullopt;
      } else {
        open.push_back(std::move(element));
      }
      pos = end + 1;
    }
  }
  if (!open.empty() || !root) return std::nullopt;
  return root;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::optional<S3ErrorBody> parse_error(std::string_view body) {
  auto root = parse_xml(body);
  if (!root || root->name != "Error") return std::nullopt;
  return S3ErrorBody{root->child_text("Code"), root->child_text("Message")};
}

std::optional<ListPage> parse_list_page(std::string_view body) {
  auto root = parse_xml(body);
  if (!root || root->name != "ListBucketResult") return std::nullopt;
  ListPage page;
  for (const auto& element : root->children) {
    if (element.name != "Contents") continue;
    ListedObject object;
    object.key = element.child_text("Key");
    object.etag = element.child_text("ETag");
    std::string size = element.child_text("Size");
    auto [end, error] = std::from_chars(size.data(), size.data() + size.size(), object.size);
    if (object.key.empty() || error != std::errc() || end != size.data() + size.size()) return std::nullopt;
    page.objects.push_back(std::move(object));
  }
  page.truncated = root->child_text("IsTruncated") == "true";
  page.next_continuation_token = root->child_text("NextContinuationToken");
  if (page.truncated && page.next_continuation_token.empty()) return std::nullopt;
  return page;
}

std::optional<std::string> parse_upload_id(std::string_view body) {
  auto root = parse_xml(body);
  if (!root || root->name != "InitiateMultipartUploadResult") return std::nullopt;
  std::string upload_id = root->child_text("UploadId");
  if (upload_id.empty()) return std::nullopt;
  return upload_id;
}

std::optional<std::vector<DeleteFailure>> parse_delete_result(std::string_view body) {
  auto root = parse_xml(body);
  if (!root || root->name != "DeleteResult") return std::nullopt;
  std::vector<DeleteFailure> failures;
  for (const auto& element : root->children) {
    if (element.name != "Error") continue;
    failures.push_back({element.child_text("Key"), element.child_text("Code"), element.child_text("Message")});
  }
  return failures;
}

}  // namespace sparkify::io::s3_internal
