#include "mime/opened_message.hpp"

#include <algorithm>
#include <limits>

#include "mime/gmime_init.hpp"
#include "mime/raw_message.hpp"

namespace rqwatch::mime {

OpenedMessage::OpenedMessage(std::string_view raw, bool replace_nul) {
    bytes_ = SkipMboxFromLine(raw);
    // A same-length replacement leaves part sizes unchanged; copying only in
    // this rare case keeps the common path copy-free.
    if (replace_nul && bytes_.find('\0') != std::string_view::npos) {
        nul_free_.assign(bytes_);
        std::replace(nul_free_.begin(), nul_free_.end(), '\0', ' ');
        bytes_ = nul_free_;
    }
    crlf_ = RawHeaderBlock(bytes_).find("\r\n") != std::string_view::npos;

    view_.data = reinterpret_cast<guint8*>(const_cast<char*>(bytes_.data()));
    view_.len = static_cast<guint>(
        std::min<std::size_t>(bytes_.size(), std::numeric_limits<guint>::max()));
    stream_.reset(g_mime_stream_mem_new());
    g_mime_stream_mem_set_byte_array(GMIME_STREAM_MEM(stream_.get()), &view_);

    parser_.reset(g_mime_parser_new_with_stream(stream_.get()));
    g_mime_parser_set_format(parser_.get(), GMIME_FORMAT_MESSAGE);
    // Parts reference ranges of the stream instead of copying their content.
    g_mime_parser_set_persist_stream(parser_.get(), TRUE);
    message_.reset(g_mime_parser_construct_message(parser_.get(), ParserOptions()));
}

}  // namespace rqwatch::mime
