/* Postdesk live chat: the customer's widget and the agent's chat page share this client.
 *
 * Nothing is lost on a reconnect: every message gets a client id and stays "pending" (kept in
 * sessionStorage) until the server acknowledges it; after a reconnect the client says the last
 * line number it has shown ("hello") and resends what is still pending. The server stores each
 * client id once and replays the lines after that number, so nothing shows twice either.
 * All text comes translated from the page (json_script "chat-strings"); states are announced in
 * a role=status region and lines in a role=log region, never by sound.
 */
(function () {
  "use strict";

  var strings = {};
  var stringsNode = document.getElementById("chat-strings");
  if (stringsNode) { strings = JSON.parse(stringsNode.textContent); }

  function t(key, values) {
    var text = strings[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(values[name]);
    });
    return text;
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function Chat(root, options) {
    this.root = root;
    this.id = options.id;
    this.socketPath = options.socket;
    this.mine = options.mine;            // "customer" or "agent": whose lines are "You"
    this.log = root.querySelector("[data-chat-log]");
    this.status = root.querySelector("[data-chat-status]");
    this.error = root.querySelector("[data-chat-error]");
    this.input = root.querySelector("[data-chat-input]");
    this.lastSeq = 0;
    this.ended = false;
    this.retry = 0;
    this.storeKey = "pd-chat:" + this.id;
    this.pending = this.load();
    this.bind();
    this.pending.forEach(this.showPending, this);
    this.connect();
  }

  Chat.prototype.load = function () {
    try { return JSON.parse(sessionStorage.getItem(this.storeKey) || "[]"); } catch (e) { return []; }
  };

  Chat.prototype.save = function () {
    try { sessionStorage.setItem(this.storeKey, JSON.stringify(this.pending)); } catch (e) { /* private mode */ }
  };

  Chat.prototype.setStatus = function (text) { if (this.status) { this.status.textContent = text; } };

  Chat.prototype.bind = function () {
    var self = this;
    var compose = this.root.querySelector("[data-chat-compose]");
    if (compose) {
      compose.addEventListener("submit", function (event) { event.preventDefault(); self.sendTyped(); });
    }
    if (this.input) {
      this.input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); self.sendTyped(); }
      });
    }
    var endButton = this.root.querySelector("[data-chat-end]");
    if (endButton) {
      endButton.addEventListener("click", function () {
        if (window.confirm(t("confirm_end"))) { self.send({type: "end"}); }
      });
    }
  };

  Chat.prototype.connect = function () {
    var self = this;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    this.setStatus(t("connecting"));
    var socket = new WebSocket(scheme + window.location.host + this.socketPath);
    this.socket = socket;
    socket.onopen = function () {
      self.retry = 0;
      socket.send(JSON.stringify({type: "hello", last_seq: self.lastSeq}));
      self.pending.forEach(function (item) {
        socket.send(JSON.stringify({type: "message", client_id: item.client_id, body: item.body}));
      });
    };
    socket.onmessage = function (event) { self.receive(JSON.parse(event.data)); };
    socket.onclose = function () {
      if (self.socket !== socket || self.ended) { return; }
      self.setStatus(t("reconnecting"));
      self.retry = Math.min(self.retry + 1, 6);
      window.setTimeout(function () { self.connect(); }, Math.min(3000, 250 * Math.pow(2, self.retry - 1)));
    };
  };

  Chat.prototype.send = function (payload) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(payload));
    }
  };

  Chat.prototype.sendTyped = function () {
    var body = (this.input.value || "").trim();
    if (!body || this.ended) { return; }
    var item = {client_id: newId(), body: body};
    this.pending.push(item);
    this.save();
    this.showPending(item);
    this.input.value = "";
    this.error.textContent = "";
    this.send({type: "message", client_id: item.client_id, body: body});
  };

  Chat.prototype.line = function (who, body, mine) {
    var li = document.createElement("li");
    li.className = "pd-chat__line" + (mine ? " pd-chat__line--mine" : "");
    var author = document.createElement("strong");
    author.className = "pd-chat__author";
    author.textContent = who + ": ";
    var text = document.createElement("span");
    text.className = "pd-chat__body";
    text.textContent = body;   // text, never HTML
    li.appendChild(author);
    li.appendChild(text);
    return li;
  };

  Chat.prototype.showPending = function (item) {
    var li = this.line(t("you"), item.body, true);
    li.setAttribute("data-pending", item.client_id);
    var note = document.createElement("span");
    note.className = "pd-chat__note";
    note.textContent = " (" + t("sending") + ")";
    li.appendChild(note);
    this.log.appendChild(li);
    this.log.scrollTop = this.log.scrollHeight;
  };

  Chat.prototype.settle = function (clientId, seq) {
    this.pending = this.pending.filter(function (item) { return item.client_id !== clientId; });
    this.save();
    var li = this.log.querySelector('[data-pending="' + clientId + '"]');
    if (li) {
      li.removeAttribute("data-pending");
      var note = li.querySelector(".pd-chat__note");
      if (note) { li.removeChild(note); }
      li.setAttribute("data-client-id", clientId);
      li.setAttribute("data-kind", this.mine);
      if (seq) { li.setAttribute("data-seq", String(seq)); }
    }
    return li;
  };

  Chat.prototype.receive = function (data) {
    if (data.type === "ack") {
      this.settle(data.client_id, data.seq);
    } else if (data.type === "entry") {
      this.entry(data);
    } else if (data.type === "state") {
      this.state(data);
    } else if (data.type === "error") {
      if (data.client_id) { this.settle(data.client_id, null); }
      this.error.textContent = data.message;
    }
  };

  Chat.prototype.entry = function (data) {
    if (data.seq <= this.lastSeq || this.log.querySelector('[data-seq="' + data.seq + '"]')) {
      this.lastSeq = Math.max(this.lastSeq, data.seq);
      return;
    }
    this.lastSeq = data.seq;
    var li;
    if (data.kind === "system") {
      li = document.createElement("li");
      li.className = "pd-chat__line pd-chat__line--notice";
      li.textContent = this.noticeText(data);
    } else {
      var mine = data.kind === this.mine;
      if (mine && data.client_id) {
        li = this.log.querySelector('[data-client-id="' + data.client_id + '"]') || this.settle(data.client_id, data.seq);
      }
      if (li) { li.setAttribute("data-seq", String(data.seq)); li.setAttribute("data-kind", data.kind); return; }
      var who = mine ? t("you") : (data.kind === "agent" ? (data.author || t("agent")) : (data.author || t("customer")));
      li = this.line(who, data.body, mine);
    }
    li.setAttribute("data-seq", String(data.seq));
    li.setAttribute("data-kind", data.kind);
    this.log.appendChild(li);
    this.log.scrollTop = this.log.scrollHeight;
  };

  Chat.prototype.noticeText = function (data) {
    var d = data.data || {};
    if (data.notice === "picked_up") { return t("picked_up", {agent: d.agent}); }
    if (data.notice === "transferred") {
      return d.agent ? t("transferred_agent", {agent: d.agent}) : t("transferred_department", {department: d.department});
    }
    if (data.notice === "ended") {
      return t(d.by === this.mine ? "ended_by_you" : "ended_by_" + (d.by || "customer"));
    }
    return data.notice;
  };

  Chat.prototype.state = function (data) {
    if (data.state === "ended") {
      this.ended = true;
      this.setStatus(t("ended") + (this.mine === "customer" && this.root.hasAttribute("data-has-email") ? " " + t("transcript") : ""));
      var compose = this.root.querySelector("[data-chat-compose]");
      if (compose) { compose.hidden = true; }
      try { sessionStorage.removeItem("pd-chat-current"); } catch (e) { /* ignore */ }
      if (this.socket) { this.socket.close(); }
    } else if (data.state === "active") {
      this.setStatus(t("active", {agent: data.agent}));
    } else {
      this.setStatus(t("waiting"));
    }
  };

  // --- Customer widget: start (or resume) a chat, or show the email form when nobody is there.
  function startWidget(widget) {
    var online = widget.querySelector("[data-chat-online]");
    var offline = widget.querySelector("[data-chat-offline]");
    var conversation = widget.querySelector("[data-chat-conversation]");
    var startForm = widget.querySelector("[data-chat-start]");
    var startError = widget.querySelector("[data-chat-start-error]");

    function open(chat) {
      online.hidden = true;
      offline.hidden = true;
      conversation.hidden = false;
      if (chat.email) { conversation.setAttribute("data-has-email", ""); }
      widget.chat = new Chat(conversation, {id: chat.id, socket: chat.socket, mine: "customer"});
      conversation.querySelector("[data-chat-input]").focus();
    }

    var current = null;
    try { current = JSON.parse(sessionStorage.getItem("pd-chat-current") || "null"); } catch (e) { current = null; }
    if (current) { open(current); return; }

    startForm.addEventListener("submit", function (event) {
      event.preventDefault();
      startError.textContent = "";
      var body = new FormData(startForm);
      fetch(widget.getAttribute("data-start-url"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: {"X-CSRFToken": body.get("csrfmiddlewaretoken")}
      }).then(function (response) {
        return response.json().then(function (data) { return {status: response.status, data: data}; });
      }).then(function (result) {
        if (result.status === 201) {
          var chat = {id: result.data.id, socket: result.data.socket, email: !!body.get("chat-email")};
          try { sessionStorage.setItem("pd-chat-current", JSON.stringify(chat)); } catch (e) { /* ignore */ }
          open(chat);
        } else if (result.status === 409) {
          online.hidden = true;
          offline.hidden = false;
          offline.querySelector("[data-chat-no-agent]").focus && offline.querySelector("input, textarea").focus();
        } else {
          var errors = (result.data && result.data.errors) || {};
          var texts = [];
          Object.keys(errors).forEach(function (key) { texts = texts.concat(errors[key]); });
          startError.textContent = texts.join(" ") || t("failed");
        }
      }).catch(function () { startError.textContent = t("failed"); });
    });
  }

  function init() {
    document.querySelectorAll("[data-chat-widget]").forEach(startWidget);
    document.querySelectorAll("[data-chat-agent]").forEach(function (root) {
      root.chat = new Chat(root, {id: root.getAttribute("data-chat-id"),
                                  socket: root.getAttribute("data-socket"), mine: "agent"});
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
