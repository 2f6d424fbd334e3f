//! What agents do in a conversation besides replying (see `reply.rs`): take, release, note,
//! forward, set the status, label. Each is checked against the agent's rights first.

use super::*;
use crate::store::held::Hold;

impl Chat {
    /// Takes the conversation; `force` takes it over from another agent.
    pub async fn take(&self, user: &User, id: i64, force: bool) -> Result<(), ChatError> {
        self.conversation_for(user, id).await?;
        let (agent, actor) = (user.clone(), user.name.clone());
        self.store
            .call(move |c| {
                let taken = conv::assign(c, id, &agent, force).map_err(ChatError::from);
                if let Ok(previous) = &taken {
                    let detail = previous
                        .as_ref()
                        .map(|p| format!("from {}", p.name))
                        .unwrap_or_default();
                    audit::record(c, &actor, "conversation.take", Some(id), &detail)?;
                }
                Ok(taken)
            })
            .await??;
        self.publish_change(id, "assignment");
        Ok(())
    }

    pub async fn release(&self, user: &User, id: i64) -> Result<(), ChatError> {
        self.conversation_for(user, id).await?;
        let (agent, actor) = (user.clone(), user.name.clone());
        self.store
            .call(move |c| {
                let released = conv::release(c, id, &agent).map_err(ChatError::from);
                if released.is_ok() {
                    audit::record(c, &actor, "conversation.release", Some(id), "")?;
                }
                Ok(released)
            })
            .await??;
        self.publish_change(id, "assignment");
        Ok(())
    }

    pub async fn note(&self, user: &User, id: i64, text: &str) -> Result<Message, ChatError> {
        self.conversation_for(user, id).await?;
        let text = self.clean_text(text)?;
        let (agent, actor) = (user.clone(), user.name.clone());
        let message = self
            .store
            .call(move |c| {
                let note = conv::add_note(c, id, &agent, &text).map_err(ChatError::from);
                if note.is_ok() {
                    audit::record(c, &actor, "note.add", Some(id), "")?;
                }
                Ok(note)
            })
            .await??;
        self.publish_message(&message);
        Ok(message)
    }

    /// Forwards to a department; the resident gets the department's expectation text.
    ///
    /// After WhatsApp's window it is held like an answer: it goes out when the resident writes
    /// again, or is given up after 7 days. It sends no re-engagement template of its own: the
    /// approved wording says the question was answered, which a forward is not. It joins a
    /// template already out, and the department's answer sends one.
    pub async fn forward(
        &self,
        user: &User,
        id: i64,
        department: &str,
    ) -> Result<Message, ChatError> {
        let conversation = self.conversation_for(user, id).await?;
        let delivery = delivery_on(&conversation.channel);
        let dept = self
            .config
            .department(department)
            .ok_or_else(|| ChatError::UnknownDepartment(department.to_string()))?;
        let notice = for_channel(&dept.expectation, &conversation.channel);
        let held_since = (!self.window_open(&conversation)).then(|| (self.clock)());
        let (dept_id, actor) = (dept.id.clone(), user.name.clone());
        let message = self
            .store
            .call(move |c| {
                let hold = held_since.map(|since| Hold {
                    since,
                    reopen: None,
                });
                let sent = conv::forward(c, id, &dept_id, &notice, delivery, hold.as_ref())
                    .map_err(ChatError::from);
                if sent.is_ok() {
                    audit::record(c, &actor, "conversation.forward", Some(id), &dept_id)?;
                }
                Ok(sent)
            })
            .await??;
        self.announce_outgoing(&message, delivery);
        self.publish_change(id, "department");
        Ok(message)
    }

    pub async fn set_status(&self, user: &User, id: i64, status: Status) -> Result<(), ChatError> {
        self.conversation_for(user, id).await?;
        let actor = user.name.clone();
        self.store
            .call(move |c| {
                let changed = conv::set_status(c, id, status).map_err(ChatError::from);
                if changed.is_ok() {
                    audit::record(c, &actor, "conversation.status", Some(id), status.as_str())?;
                }
                Ok(changed)
            })
            .await??;
        self.publish_change(id, "status");
        Ok(())
    }

    /// Adds (`add == true`) or removes a label.
    pub async fn label(
        &self,
        user: &User,
        id: i64,
        label: &str,
        add: bool,
    ) -> Result<(), ChatError> {
        self.conversation_for(user, id).await?;
        let label = label.trim().to_lowercase();
        if label.is_empty() || label.chars().count() > 40 || label.contains(',') {
            return Err(ChatError::BadLabel);
        }
        let actor = user.name.clone();
        self.store
            .call(move |c| {
                let changed = if add {
                    conv::add_label(c, id, &label)
                } else {
                    conv::remove_label(c, id, &label)
                }
                .map_err(ChatError::from);
                if changed.is_ok() {
                    let action = if add { "label.add" } else { "label.remove" };
                    audit::record(c, &actor, action, Some(id), &label)?;
                }
                Ok(changed)
            })
            .await??;
        self.publish_change(id, "labels");
        Ok(())
    }
}
