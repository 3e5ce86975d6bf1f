<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name />
    <message>
      <source>dispute opened</source>
      <translation>争议已发起</translation>
    </message>
    <message>
      <source>proposal posted</source>
      <translation>已提交方案</translation>
    </message>
    <message>
      <source>proposal withdrawn</source>
      <translation>方案已撤回</translation>
    </message>
    <message>
      <source>proposal accepted</source>
      <translation>方案已接受</translation>
    </message>
    <message>
      <source>proposal rejected</source>
      <translation>方案被拒绝</translation>
    </message>
    <message>
      <source>escalated</source>
      <translation>已升级至平台</translation>
    </message>
    <message>
      <source>cancelled</source>
      <translation>已撤销</translation>
    </message>
    <message>
      <source>evidence added</source>
      <translation>已添加证据</translation>
    </message>
    <message>
      <source>message</source>
      <translation>留言</translation>
    </message>
    <message>
      <source>return shipped</source>
      <translation>退货已寄出</translation>
    </message>
    <message>
      <source>return received</source>
      <translation>退货已签收</translation>
    </message>
    <message>
      <source>platform proposal</source>
      <translation>平台方案</translation>
    </message>
    <message>
      <source>platform proposal approved</source>
      <translation>平台方案已审批</translation>
    </message>
    <message>
      <source>ruling</source>
      <translation>裁决</translation>
    </message>
    <message>
      <source>ruling approved</source>
      <translation>裁决已审批</translation>
    </message>
    <message>
      <source>sent back</source>
      <translation>已退回</translation>
    </message>
    <message>
      <source>clock expired</source>
      <translation>倒计时超时</translation>
    </message>
    <message>
      <source>claimed</source>
      <translation>已认领</translation>
    </message>
    <message>
      <source>released</source>
      <translation>已释放</translation>
    </message>
    <message>
      <source>assigned</source>
      <translation>已分配</translation>
    </message>
    <message>
      <source>internal note</source>
      <translation>内部备注</translation>
    </message>
    <message>
      <source>return awaiting shipment</source>
      <translation>退货待寄出</translation>
    </message>
    <message>
      <source>return awaiting receipt</source>
      <translation>退货待签收</translation>
    </message>
    <message>
      <source>return not shipped</source>
      <translation>退货未寄出</translation>
    </message>
    <message>
      <source>receipt not confirmed in time</source>
      <translation>未按时确认收货</translation>
    </message>
    <message>
      <source>%1's proposal executed</source>
      <extracomment>Header values that are party text (ids from the feed): elided to the header's width, whole in the tooltip.</extracomment>
      <translation>%1的方案已执行</translation>
    </message>
    <message>
      <source>no refund</source>
      <translation>不退款</translation>
    </message>
    <message>
      <source>resolved %1</source>
      <translation>已解决：%1</translation>
    </message>
    <message>
      <source>ruling adopting the %1's proposal (%2)</source>
      <translation>裁决采纳%1的方案（%2）</translation>
    </message>
    <message>
      <source>platform proposal %1 (%2)</source>
      <translation>平台方案 %1（%2）</translation>
    </message>
    <message>
      <source>by %1</source>
      <translation>由 %1</translation>
    </message>
    <message>
      <source>at %1</source>
      <translation>于 %1</translation>
    </message>
    <message>
      <source>%1, %2 — waiting for a supervisor</source>
      <translation>%1，%2 — 等待主管审批</translation>
    </message>
    <message>
      <source>an answer is due within %1 hours</source>
      <extracomment>Per column, the sample texts its width is made for (the table never measures its contents): each cell reads in at most two lines — the clock's name and the due times wrap once, the expiry's proposal id ends its first line, the rule and its start in words (`why_text`) wrap once; the details are the cells' tooltips. The last column (why) stretches. Each clock rule's policy key in words; %1 is its value from the policy, %2 the platform zone's name</extracomment>
      <translation>须在 %1 小时内答复</translation>
    </message>
    <message>
      <source>the return must be shipped within %1 days</source>
      <translation>须在 %1 天内寄出退货</translation>
    </message>
    <message>
      <source>the return's arrival must be confirmed within %1 days</source>
      <translation>须在 %1 天内确认收到退货</translation>
    </message>
    <message>
      <source>the platform must step in within %1 calendar days (to the end of the day, %2)</source>
      <translation>平台须在 %1 个自然日内介入（至当日结束，%2）</translation>
    </message>
    <message>
      <source>the platform must rule within %1 calendar days (to the end of the day, %2)</source>
      <translation>平台须在 %1 个自然日内裁决（至当日结束，%2）</translation>
    </message>
    <message>
      <source>a counter to the platform proposal</source>
      <extracomment>What may follow the event id in `started_by` (the domain's words) and how it reads</extracomment>
      <translation>针对平台方案的反提议</translation>
    </message>
    <message>
      <source>%1 (policy %2)</source>
      <comment>Clocks</comment>
      <translation>%1（规则版本 %2）</translation>
    </message>
    <message>
      <source>%1 by %2</source>
      <comment>Clocks</comment>
      <translation>%1（%2）</translation>
    </message>
    <message>
      <source>%1 (event %2)</source>
      <comment>Clocks</comment>
      <translation>%1（事件 %2）</translation>
    </message>
    <message>
      <source>%1 at %2</source>
      <comment>Clocks</comment>
      <translation>%1，%2</translation>
    </message>
    <message>
      <source>%1 h after %2</source>
      <comment>Clocks</comment>
      <translation>%2 后 %1 小时</translation>
    </message>
    <message>
      <source>%1 days after %2</source>
      <comment>Clocks</comment>
      <translation>%2 后 %1 天</translation>
    </message>
    <message>
      <source>Rule: %1
Started by: %2</source>
      <comment>Clocks</comment>
      <translation>规则：%1
起因：%2</translation>
    </message>
    <message>
      <source>execute %1 proposal %2
→ %3</source>
      <translation>执行%1方案 %2
→ %3</translation>
    </message>
    <message>
      <source>close with no refund</source>
      <translation>结案，不退款</translation>
    </message>
    <message>
      <source>close with no refund (return not shipped)</source>
      <translation>结案，不退款（退货未寄出）</translation>
    </message>
    <message>
      <source>close (receipt not confirmed)</source>
      <translation>结案（未确认收货）</translation>
    </message>
    <message>
      <source>execute the refund %1 (receipt not confirmed)</source>
      <translation>执行退款 %1（未确认收货）</translation>
    </message>
    <message>
      <source>nothing executes: platform deadline (SLA breach)</source>
      <translation>不自动执行：平台时限（超出 SLA）</translation>
    </message>
    <message>
      <source>OVERDUE by %1</source>
      <comment>Clocks</comment>
      <translation>已超时 %1</translation>
    </message>
    <message>
      <source>%1 left</source>
      <comment>Clocks</comment>
      <translation>剩余 %1</translation>
    </message>
    <message>
      <source>The %1 has no active proposal.</source>
      <translation>%1没有有效方案。</translation>
    </message>
    <message>
      <source>The %1's proposal %2 executes: %3.</source>
      <translation>将执行%1的方案 %2：%3。</translation>
    </message>
    <message>
      <source>The buyer must ship the return within %1 days; the refund follows the seller's receipt.</source>
      <translation>买家须在 %1 天内寄出退货；卖家签收后退款。</translation>
    </message>
    <message>
      <source>The dispute closes with no refund.</source>
      <translation>争议结案，不退款。</translation>
    </message>
    <message>
      <source>The dispute closes.</source>
      <translation>争议结案。</translation>
    </message>
    <message>
      <source>The refund reaches the four-eyes threshold of %1: a supervisor must approve the ruling before it executes.</source>
      <translation>退款金额达到 %1 的双人复核门槛：须经主管审批后裁决才会执行。</translation>
    </message>
    <message>
      <source>%1 bytes</source>
      <translation>%1 字节</translation>
    </message>
    <message>
      <source>%1 KiB</source>
      <translation>%1 KiB</translation>
    </message>
    <message>
      <source>%1 MiB</source>
      <translation>%1 MiB</translation>
    </message>
    <message>
      <source>%1d %2</source>
      <extracomment>The platform's zone for what carries no policy of its own (a queue line): the default policy's.</extracomment>
      <translation>%1天 %2</translation>
    </message>
    <message>
      <source>Awaiting seller</source>
      <extracomment>what a clerk in mainland China calls a zone; the others by Qt's long name in Chinese (中欧标准时间)</extracomment>
      <translation>等待卖家</translation>
    </message>
    <message>
      <source>Awaiting buyer</source>
      <translation>等待买家</translation>
    </message>
    <message>
      <source>Awaiting both parties</source>
      <translation>等待双方</translation>
    </message>
    <message>
      <source>Needs ruling</source>
      <translation>待裁决</translation>
    </message>
    <message>
      <source>Pending approval</source>
      <translation>待审批</translation>
    </message>
    <message>
      <source>Return: awaiting shipment</source>
      <translation>退货：待寄出</translation>
    </message>
    <message>
      <source>Return: awaiting receipt</source>
      <translation>退货：待签收</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>已结案</translation>
    </message>
    <message>
      <source>seller reply</source>
      <translation>卖家答复</translation>
    </message>
    <message>
      <source>buyer reply</source>
      <translation>买家答复</translation>
    </message>
    <message>
      <source>parties reply</source>
      <translation>双方答复</translation>
    </message>
    <message>
      <source>platform SLA</source>
      <translation>平台 SLA</translation>
    </message>
    <message>
      <source>ruling SLA</source>
      <translation>裁决 SLA</translation>
    </message>
    <message>
      <source>return shipment</source>
      <translation>退货寄出</translation>
    </message>
    <message>
      <source>return receipt</source>
      <translation>退货签收</translation>
    </message>
    <message>
      <source>buyer</source>
      <translation>买家</translation>
    </message>
    <message>
      <source>seller</source>
      <translation>卖家</translation>
    </message>
    <message>
      <source>platform</source>
      <translation>平台</translation>
    </message>
    <message>
      <source>both parties</source>
      <translation>双方</translation>
    </message>
    <message>
      <source>refund</source>
      <translation>退款</translation>
    </message>
    <message>
      <source>return and refund</source>
      <translation>退货退款</translation>
    </message>
    <message>
      <source>clerk</source>
      <translation>专员</translation>
    </message>
    <message>
      <source>supervisor</source>
      <translation>主管</translation>
    </message>
    <message>
      <source>auditor</source>
      <translation>审计员</translation>
    </message>
    <message>
      <source>service</source>
      <translation>服务账户</translation>
    </message>
    <message>
      <source>Only refund</source>
      <translation>仅退款</translation>
    </message>
    <message>
      <source>Return &amp; refund</source>
      <translation>退货退款</translation>
    </message>
    <message>
      <source>not received</source>
      <extracomment>the buyers' reasons the window knows by name (others are shown as they come, underscores as spaces)</extracomment>
      <translation>未收到货</translation>
    </message>
    <message>
      <source>not as described</source>
      <translation>与描述不符</translation>
    </message>
    <message>
      <source>damaged</source>
      <translation>商品破损</translation>
    </message>
    <message>
      <source>wrong item</source>
      <translation>发错货</translation>
    </message>
    <message>
      <source>counterfeit</source>
      <translation>假冒商品</translation>
    </message>
    <message>
      <source>missing parts</source>
      <translation>缺少配件</translation>
    </message>
    <message>
      <source>return not shipped → close, no refund at %1</source>
      <translation>退货未寄出 → 结案，不退款，%1</translation>
    </message>
    <message>
      <source>receipt not confirmed → %1 at %2</source>
      <translation>未确认收货 → %1，%2</translation>
    </message>
    <message>
      <source>%1 silent → close, no refund at %2</source>
      <translation>%1未回应 → 结案，不退款，%2</translation>
    </message>
    <message>
      <source>%1 silent → %2's %3 at %4</source>
      <translation>%1未回应 → 按%2方案%3，%4</translation>
    </message>
    <message>
      <source>Platform SLA: the %1-day intervention deadline and the %2-day ruling deadline (policy %3)</source>
      <translation>平台 SLA：%1 天介入时限与 %2 天裁决时限（规则 %3）</translation>
    </message>
    <message>
      <source>Platform SLA breached: the clerks' %1-day intervention or %2-day ruling deadline passed</source>
      <comment>Queue</comment>
      <translation>已超出平台 SLA：已过专员的 %1 天介入时限或 %2 天裁决时限</translation>
    </message>
    <message>
      <source>(none yet)</source>
      <translation>（暂无）</translation>
    </message>
    <message>
      <source>awaiting approval by a supervisor (proposed by %1)</source>
      <translation>等待主管审批（由 %1 提出）</translation>
    </message>
    <message>
      <source>%1 stays active until then</source>
      <translation>在此之前 %1 仍有效</translation>
    </message>
    <message>
      <source>none active: withdrew %1</source>
      <translation>无有效方案：已撤回 %1</translation>
    </message>
    <message>
      <source>%1 must act</source>
      <translation>%1须处理</translation>
    </message>
    <message>
      <source>executed: %1</source>
      <translation>已执行：%1</translation>
    </message>
    <message>
      <source>not adopted (dispute resolved: %1)</source>
      <translation>未采纳（争议已解决：%1）</translation>
    </message>
    <message>
      <source>active</source>
      <translation>有效</translation>
    </message>
    <message>
      <source>agreed in negotiation</source>
      <translation>协商达成一致</translation>
    </message>
    <message>
      <source>seller did not respond</source>
      <translation>卖家未答复</translation>
    </message>
    <message>
      <source>buyer did not respond</source>
      <translation>买家未答复</translation>
    </message>
    <message>
      <source>both accepted</source>
      <translation>双方均已接受</translation>
    </message>
    <message>
      <source>parties did not respond</source>
      <translation>双方未答复</translation>
    </message>
    <message>
      <source>platform ruling</source>
      <translation>平台裁决</translation>
    </message>
    <message>
      <source>cancelled by the buyer</source>
      <translation>买家已取消</translation>
    </message>
    <message>
      <source>superseded</source>
      <translation>已被取代</translation>
    </message>
    <message>
      <source>withdrawn</source>
      <translation>已撤回</translation>
    </message>
    <message>
      <source>awaiting approval</source>
      <translation>待审批</translation>
    </message>
    <message>
      <source>accepted by %1</source>
      <translation>已被%1接受</translation>
    </message>
    <message>
      <source> and </source>
      <translation>、</translation>
    </message>
    <message>
      <source>rejected: the platform must rule</source>
      <translation>已拒绝：须由平台裁决</translation>
    </message>
    <message>
      <source>awaiting %1</source>
      <translation>等待%1</translation>
    </message>
    <message>
      <source>adopted by a ruling awaiting approval (by %1)</source>
      <translation>已被待审批的裁决采纳（由 %1）</translation>
    </message>
    <message>
      <source>%1 is silent past %2: this executes at the next sweep</source>
      <translation>%1超过 %2 未回应：下次巡检时执行</translation>
    </message>
    <message>
      <source>executes %1 unless a party rejects it first</source>
      <translation>除非一方先拒绝，否则于 %1 执行</translation>
    </message>
    <message>
      <source>executes %1 if %2 stays silent</source>
      <translation>若%2仍未回应，于 %1 执行</translation>
    </message>
    <message>
      <source>%1 (%2)</source>
      <comment>Queue</comment>
      <translation>%1（%2）</translation>
    </message>
    <message>
      <source>breached</source>
      <comment>Queue</comment>
      <extracomment>The queue's narrower stage words for the longest stages (the full stage is the cell's tooltip): labels that exist already (a clock's, a party's), so no new text to translate.</extracomment>
      <translation>已超时</translation>
    </message>
    <message>
      <source>ok</source>
      <comment>Queue</comment>
      <translation>正常</translation>
    </message>
    <message>
      <source>%1 · order %2 · buyer %3 · seller %4</source>
      <comment>Queue</comment>
      <translation>%1 · 订单 %2 · 买家 %3 · 卖家 %4</translation>
    </message>
    <message>
      <source>Buyer asks %1 of an order total of %2</source>
      <comment>Queue</comment>
      <translation>买家申请退款 %1，订单总额 %2</translation>
    </message>
    <message>
      <source>Held by %1</source>
      <comment>Queue</comment>
      <translation>处理人：%1</translation>
    </message>
    <message>
      <source>Unassigned</source>
      <comment>Queue</comment>
      <translation>未分配</translation>
    </message>
    <message>
      <source>Platform SLA ok</source>
      <comment>Queue</comment>
      <translation>平台 SLA 正常</translation>
    </message>
    <message>
      <source>Could not load the queue: %1</source>
      <comment>Queue</comment>
      <translation>无法加载队列：%1</translation>
    </message>
    <message>
      <source>Could not load queue rows: %1</source>
      <comment>Queue</comment>
      <translation>无法加载队列行：%1</translation>
    </message>
    <message>
      <source>All open</source>
      <comment>Queue</comment>
      <translation>全部未结</translation>
    </message>
    <message>
      <source>Every open dispute</source>
      <comment>Queue</comment>
      <translation>所有未结争议</translation>
    </message>
    <message>
      <source>Mine</source>
      <comment>Queue</comment>
      <translation>我的</translation>
    </message>
    <message>
      <source>Open disputes you hold</source>
      <comment>Queue</comment>
      <translation>由你处理的未结争议</translation>
    </message>
    <message>
      <source>Open disputes no clerk holds</source>
      <comment>Queue</comment>
      <translation>无人认领的未结争议</translation>
    </message>
    <message>
      <source>Due in 24 h</source>
      <comment>Queue</comment>
      <translation>24 小时内到期</translation>
    </message>
    <message>
      <source>A clock runs out within 24 hours (or already has)</source>
      <comment>Queue</comment>
      <translation>24 小时内（或已经）有倒计时到期</translation>
    </message>
    <message>
      <source>SLA breached</source>
      <comment>Queue</comment>
      <translation>超出 SLA</translation>
    </message>
    <message>
      <source>A platform deadline (intervention or ruling) has passed</source>
      <comment>Queue</comment>
      <translation>已超过平台时限（介入或裁决）</translation>
    </message>
    <message>
      <source>Needs ruling</source>
      <comment>Queue</comment>
      <translation>待裁决</translation>
    </message>
    <message>
      <source>In platform review: a clerk must rule</source>
      <comment>Queue</comment>
      <translation>平台审理中：须由专员裁决</translation>
    </message>
    <message>
      <source>Pending approval</source>
      <comment>Queue</comment>
      <translation>待审批</translation>
    </message>
    <message>
      <source>A ruling or proposal waits for a supervisor's approval</source>
      <comment>Queue</comment>
      <translation>裁决或方案等待主管审批</translation>
    </message>
    <message>
      <source>Overdue</source>
      <comment>Queue</comment>
      <translation>已超时</translation>
    </message>
    <message>
      <source>Due within 24 h</source>
      <comment>Queue</comment>
      <translation>24 小时内到期</translation>
    </message>
    <message>
      <source>Due later</source>
      <comment>Queue</comment>
      <translation>稍后到期</translation>
    </message>
    <message>
      <source>No running clock</source>
      <comment>Queue</comment>
      <translation>无进行中的倒计时</translation>
    </message>
    <message>
      <source>Left</source>
      <translation>剩余</translation>
    </message>
    <message>
      <source>Time left to the earliest running clock; negative when overdue</source>
      <translation>距最早到期倒计时的剩余时间；超时为负</translation>
    </message>
    <message>
      <source>Clock</source>
      <translation>倒计时</translation>
    </message>
    <message>
      <source>The earliest running clock and who must act on it</source>
      <translation>最早到期的倒计时及须处理的一方</translation>
    </message>
    <message>
      <source>Dispute</source>
      <translation>争议</translation>
    </message>
    <message>
      <source>Dispute id</source>
      <translation>争议编号</translation>
    </message>
    <message>
      <source>Stage</source>
      <translation>阶段</translation>
    </message>
    <message>
      <source>Where the dispute stands</source>
      <translation>争议当前所处阶段</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>The buyer's reason for the dispute</source>
      <translation>买家发起争议的原因</translation>
    </message>
    <message>
      <source>Asked / total</source>
      <translation>申请 / 总额</translation>
    </message>
    <message>
      <source>Refund the buyer asks for, against the order total</source>
      <translation>买家申请的退款金额与订单总额</translation>
    </message>
    <message>
      <source>Clerk</source>
      <translation>专员</translation>
    </message>
    <message>
      <source>The clerk holding the case</source>
      <translation>处理该案件的专员</translation>
    </message>
    <message>
      <source>SLA</source>
      <translation>SLA</translation>
    </message>
    <message>
      <source>breached or ok</source>
      <translation>超时或正常</translation>
    </message>
    <message>
      <source>If silent</source>
      <translation>若不回应</translation>
    </message>
    <message>
      <source>Default judgment: what executes, for how much and when, if the silent party stays silent</source>
      <translation>缺席裁决：若未回应方继续不回应，将于何时执行何种处理、金额多少</translation>
    </message>
    <message>
      <source>(not sortable)</source>
      <translation>（不可排序）</translation>
    </message>
    <message>
      <source>%1 · open: %2</source>
      <translation>%1 · 正在查看：%2</translation>
    </message>
    <message>
      <source>%1: %2 — %3 must act (%4); due %5, platform time %6</source>
      <translation>%1：%2 — %3须处理（%4）；到期 %5，平台时间 %6</translation>
    </message>
    <message>
      <source>loading…</source>
      <translation>加载中…</translation>
    </message>
    <message>
      <source>%1: could not be loaded</source>
      <translation>%1：无法加载</translation>
    </message>
    <message>
      <source>%1: loading…</source>
      <translation>%1：加载中…</translation>
    </message>
    <message>
      <source>%1 is no longer in the queue; reload</source>
      <translation>%1 已不在队列中；请刷新</translation>
    </message>
    <message>
      <source>Stage: %1</source>
      <comment>Desk</comment>
      <translation>阶段：%1</translation>
    </message>
    <message>
      <source>Due: %1</source>
      <comment>Desk</comment>
      <translation>到期：%1</translation>
    </message>
    <message>
      <source>Held by %1</source>
      <comment>Desk</comment>
      <translation>处理人：%1</translation>
    </message>
    <message>
      <source>&amp;Queue</source>
      <comment>Desk</comment>
      <translation>队列(&amp;Q)</translation>
    </message>
    <message>
      <source>Supervisor's &amp;desk</source>
      <comment>Desk</comment>
      <translation>主管工作台(&amp;D)</translation>
    </message>
    <message>
      <source>The dashboard, the approval inbox, the workload and the audit trail (Ctrl+D)</source>
      <comment>Desk</comment>
      <translation>仪表盘、审批收件箱、工作量与审计记录（Ctrl+D）</translation>
    </message>
    <message>
      <source>Assign &amp;selected to…</source>
      <comment>Desk</comment>
      <translation>将所选分配给(&amp;S)…</translation>
    </message>
    <message>
      <source>Assign every selected case to one clerk (Shift/Ctrl-click to select many)</source>
      <comment>Desk</comment>
      <translation>将所选案件全部分配给一位专员（按住 Shift/Ctrl 点击可多选）</translation>
    </message>
    <message>
      <source>&amp;Export to CSV…</source>
      <comment>Desk</comment>
      <translation>导出为 CSV(&amp;E)…</translation>
    </message>
    <message>
      <source>The current queue view, the approval inbox or the audit filter as a spreadsheet</source>
      <comment>Desk</comment>
      <translation>将当前队列视图、审批收件箱或审计筛选结果导出为表格</translation>
    </message>
    <message>
      <source>Outbound feed &amp;warning…</source>
      <comment>Desk</comment>
      <translation>出站事件流警告(&amp;W)…</translation>
    </message>
    <message>
      <source>How many events behind a consumer of the outbound feed may be before the desk warns</source>
      <comment>Desk</comment>
      <translation>出站事件流的消费方落后多少个事件时，主管工作台发出警告</translation>
    </message>
    <message>
      <source>Assign %1 cases</source>
      <comment>Desk</comment>
      <translation>分配 %1 个案件</translation>
    </message>
    <message>
      <source>Exporting the approval inbox…</source>
      <comment>Desk</comment>
      <translation>正在导出审批收件箱…</translation>
    </message>
    <message>
      <source>Exporting the audit trail…</source>
      <comment>Desk</comment>
      <translation>正在导出审计记录…</translation>
    </message>
    <message>
      <source>Exporting the figures…</source>
      <comment>Desk</comment>
      <translation>正在导出统计数据…</translation>
    </message>
    <message>
      <source>Exporting %1 cases…</source>
      <comment>Desk</comment>
      <translation>正在导出 %1 个案件…</translation>
    </message>
    <message>
      <source>%1 rows written to %2</source>
      <comment>Desk</comment>
      <translation>已将 %1 行写入 %2</translation>
    </message>
    <message>
      <source>The export failed: %1</source>
      <comment>Desk</comment>
      <translation>导出失败：%1</translation>
    </message>
    <message>
      <source>Time left</source>
      <translation>剩余时间</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>已等待</translation>
    </message>
    <message>
      <source>By</source>
      <translation>提交人</translation>
    </message>
    <message>
      <source>Refund</source>
      <translation>退款</translation>
    </message>
    <message>
      <source>Submitted</source>
      <translation>提交时间</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>到期</translation>
    </message>
    <message>
      <source>You</source>
      <translation>你</translation>
    </message>
    <message>
      <source>Ruling</source>
      <translation>裁决</translation>
    </message>
    <message>
      <source>Platform proposal</source>
      <translation>平台方案</translation>
    </message>
    <message>
      <source>You may not approve this: %1</source>
      <comment>Desk</comment>
      <translation>你不能审批此项：%1</translation>
    </message>
    <message>
      <source>your own</source>
      <comment>Desk</comment>
      <translation>你自己的</translation>
    </message>
    <message>
      <source>supervisors approve</source>
      <comment>Desk</comment>
      <translation>须由主管审批</translation>
    </message>
    <message>
      <source>overdue %1</source>
      <comment>Desk</comment>
      <translation>已超时 %1</translation>
    </message>
    <message>
      <source>may approve</source>
      <comment>Desk</comment>
      <translation>可审批</translation>
    </message>
    <message>
      <source>✕ not yours to approve</source>
      <comment>Desk</comment>
      <translation>✕ 你不能审批</translation>
    </message>
    <message>
      <source>Approval inbox</source>
      <comment>Desk</comment>
      <translation>审批收件箱</translation>
    </message>
    <message>
      <source>&amp;Approve</source>
      <comment>Desk</comment>
      <translation>审批通过(&amp;A)</translation>
    </message>
    <message>
      <source>Approve the selected ruling or proposal (Enter or A)</source>
      <comment>Desk</comment>
      <translation>审批通过所选裁决或方案（回车或 A）</translation>
    </message>
    <message>
      <source>&amp;Send back…</source>
      <comment>Desk</comment>
      <translation>退回(&amp;S)…</translation>
    </message>
    <message>
      <source>Send it back to the clerk with a note (S)</source>
      <comment>Desk</comment>
      <translation>附备注退回给专员（S）</translation>
    </message>
    <message>
      <source>Approval</source>
      <comment>Desk</comment>
      <translation>审批</translation>
    </message>
    <message>
      <source>Send back %1</source>
      <comment>Desk</comment>
      <translation>退回 %1</translation>
    </message>
    <message>
      <source>Why is it sent back?</source>
      <comment>Desk</comment>
      <translation>退回原因？</translation>
    </message>
    <message>
      <source>Send-back</source>
      <comment>Desk</comment>
      <translation>退回</translation>
    </message>
    <message>
      <source>%1 of %2: done</source>
      <comment>Desk</comment>
      <translation>%1 / %2：已完成</translation>
    </message>
    <message>
      <source>%1 changed meanwhile; nothing was applied — look again</source>
      <comment>Desk</comment>
      <translation>%1 期间已有变化；未做任何更改 — 请重新查看</translation>
    </message>
    <message>
      <source>%1 was refused: %2</source>
      <comment>Desk</comment>
      <translation>%1被拒绝：%2</translation>
    </message>
    <message>
      <source>When (UTC)</source>
      <translation>时间（UTC）</translation>
    </message>
    <message>
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>User</source>
      <translation>用户</translation>
    </message>
    <message>
      <source>Party</source>
      <translation>当事方</translation>
    </message>
    <message>
      <source>What happened</source>
      <translation>内容</translation>
    </message>
    <message>
      <source>Dispute id</source>
      <comment>Desk</comment>
      <translation>争议编号</translation>
    </message>
    <message>
      <source>User</source>
      <comment>Desk</comment>
      <translation>用户</translation>
    </message>
    <message>
      <source>Every kind</source>
      <comment>Desk</comment>
      <translation>全部类型</translation>
    </message>
    <message>
      <source>From</source>
      <comment>Desk</comment>
      <translation>起始</translation>
    </message>
    <message>
      <source>Before</source>
      <comment>Desk</comment>
      <translation>截止</translation>
    </message>
    <message>
      <source>Newest first</source>
      <comment>Desk</comment>
      <translation>最新在前</translation>
    </message>
    <message>
      <source>Oldest first</source>
      <comment>Desk</comment>
      <translation>最早在前</translation>
    </message>
    <message>
      <source>Audit trail</source>
      <comment>Desk</comment>
      <translation>审计记录</translation>
    </message>
    <message>
      <source>%1 rows match</source>
      <comment>Desk</comment>
      <translation>匹配 %1 行</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>已超时</translation>
    </message>
    <message>
      <source>0–4 h</source>
      <translation>0–4 小时</translation>
    </message>
    <message>
      <source>4–24 h</source>
      <translation>4–24 小时</translation>
    </message>
    <message>
      <source>1–3 d</source>
      <translation>1–3 天</translation>
    </message>
    <message>
      <source>3 d +</source>
      <translation>3 天以上</translation>
    </message>
    <message>
      <source>None</source>
      <translation>无</translation>
    </message>
    <message>
      <source>Seller</source>
      <translation>卖家</translation>
    </message>
    <message>
      <source>Buyer</source>
      <translation>买家</translation>
    </message>
    <message>
      <source>Both parties</source>
      <translation>双方</translation>
    </message>
    <message>
      <source>Approval</source>
      <translation>审批</translation>
    </message>
    <message>
      <source>Return ship.</source>
      <translation>退货寄出</translation>
    </message>
    <message>
      <source>Return receipt</source>
      <translation>退货签收</translation>
    </message>
    <message>
      <source>Cases held per person</source>
      <comment>Desk</comment>
      <extracomment>What QtCharts keeps of a category's share beside the label's text (the rich text's margins and the ticks' padding): measured, "4–24 小时" (52 px) is elided in a 73 px share, "0–4 小时" (45 px) is not</extracomment>
      <translation>每人处理的案件</translation>
    </message>
    <message>
      <source>Overdue</source>
      <comment>Desk</comment>
      <translation>已超时</translation>
    </message>
    <message>
      <source>Not overdue</source>
      <comment>Desk</comment>
      <translation>未超时</translation>
    </message>
    <message>
      <source>Opened vs resolved per day, SLA breached (%)</source>
      <comment>Desk</comment>
      <translation>每日发起与解决数量，超出 SLA（%）</translation>
    </message>
    <message>
      <source>Opened</source>
      <comment>Desk</comment>
      <translation>发起</translation>
    </message>
    <message>
      <source>Resolved</source>
      <comment>Desk</comment>
      <translation>已解决</translation>
    </message>
    <message>
      <source>Resolved after the SLA (%)</source>
      <comment>Desk</comment>
      <translation>超出 SLA 后解决（%）</translation>
    </message>
    <message>
      <source>day (platform zone)</source>
      <comment>Desk</comment>
      <translation>日期（平台时区）</translation>
    </message>
    <message>
      <source>%1 – %2, platform zone</source>
      <comment>Desk</comment>
      <translation>%1 – %2，平台时区</translation>
    </message>
    <message>
      <source>Loading the figures…</source>
      <comment>Desk</comment>
      <translation>正在加载统计数据…</translation>
    </message>
    <message>
      <source>Open disputes by stage</source>
      <comment>Desk</comment>
      <translation>按阶段统计的未结争议</translation>
    </message>
    <message>
      <source>Click a bar: the queue of that stage</source>
      <comment>Desk</comment>
      <translation>点击柱条：查看该阶段的队列</translation>
    </message>
    <message>
      <source>Open disputes by time left on the earliest clock</source>
      <comment>Desk</comment>
      <translation>按最早倒计时剩余时间统计的未结争议</translation>
    </message>
    <message>
      <source>Click a bar: the queue of that bucket</source>
      <comment>Desk</comment>
      <translation>点击柱条：查看该区间的队列</translation>
    </message>
    <message>
      <source>Click a bar: the cases that person holds</source>
      <comment>Desk</comment>
      <translation>点击柱条：查看此人处理的案件</translation>
    </message>
    <message>
      <source>The figures could not be read: %1</source>
      <comment>Desk</comment>
      <translation>无法读取统计数据：%1</translation>
    </message>
    <message>
      <source>%1 open · %2 with the SLA breached · %3 overdue · figures at %4</source>
      <comment>Desk</comment>
      <translation>未结 %1 · 超出 SLA %2 · 已超时 %3 · 统计于 %4</translation>
    </message>
    <message>
      <source>Export to CSV</source>
      <comment>Desk</comment>
      <translation>导出为 CSV</translation>
    </message>
    <message>
      <source>Spreadsheet (*.csv)</source>
      <comment>Desk</comment>
      <translation>表格 (*.csv)</translation>
    </message>
    <message>
      <source>Hide</source>
      <comment>Desk</comment>
      <translation>隐藏</translation>
    </message>
    <message>
      <source>%1 of %2 rows written</source>
      <comment>Desk</comment>
      <translation>已写入 %1 / %2 行</translation>
    </message>
    <message>
      <source>&amp;Approvals</source>
      <comment>Desk</comment>
      <translation>审批(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Workload</source>
      <comment>Desk</comment>
      <translation>工作量(&amp;W)</translation>
    </message>
    <message>
      <source>Au&amp;dit trail</source>
      <comment>Desk</comment>
      <translation>审计记录(&amp;D)</translation>
    </message>
    <message>
      <source>Assign to:</source>
      <comment>Desk</comment>
      <translation>分配给：</translation>
    </message>
    <message>
      <source>%1 assigned to %2</source>
      <comment>Desk</comment>
      <translation>%1 已分配给 %2</translation>
    </message>
    <message>
      <source>; %1 refused: </source>
      <comment>Desk</comment>
      <translation>；%1 个被拒绝：</translation>
    </message>
    <message>
      <source>Assignment</source>
      <comment>Desk</comment>
      <translation>分配</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>Holding</source>
      <translation>处理中</translation>
    </message>
    <message>
      <source>Decided today</source>
      <translation>今日已决</translation>
    </message>
    <message>
      <source>Workload per clerk</source>
      <comment>Desk</comment>
      <translation>每位专员的工作量</translation>
    </message>
    <message>
      <source>&amp;Move their cases to…</source>
      <comment>Desk</comment>
      <translation>将其案件转给(&amp;M)…</translation>
    </message>
    <message>
      <source>Assign every open case the selected person holds to someone else</source>
      <comment>Desk</comment>
      <translation>将所选人员处理的全部未结案件分配给他人</translation>
    </message>
    <message>
      <source>Move %1's cases</source>
      <comment>Desk</comment>
      <translation>转移 %1 的案件</translation>
    </message>
    <message>
      <source>Open bundle</source>
      <translation>打开案件包</translation>
    </message>
    <message>
      <source>Mediator bundles (*.mcase);;All files (*)</source>
      <translation>Mediator 案件包 (*.mcase);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Export bundle</source>
      <translation>导出案件包</translation>
    </message>
    <message>
      <source>Mediator bundles (*.mcase)</source>
      <translation>Mediator 案件包 (*.mcase)</translation>
    </message>
    <message>
      <source>Export case file</source>
      <translation>导出案卷</translation>
    </message>
    <message>
      <source>PDF (*.pdf)</source>
      <translation>PDF (*.pdf)</translation>
    </message>
    <message>
      <source>Opening %1…</source>
      <translation>正在打开 %1…</translation>
    </message>
    <message>
      <source>Drafts</source>
      <comment>Queue</comment>
      <extracomment>the decision actions that record drafts in a bundle window, by action name -&gt; draft action what a bundle window never offers (it would write to a database or execute)</extracomment>
      <translation>草稿</translation>
    </message>
    <message>
      <source>Cases with drafts: shown with their drafts applied</source>
      <comment>Queue</comment>
      <translation>有草稿的案件：按其草稿生效后的样子显示</translation>
    </message>
    <message>
      <source>No drafts in this bundle yet: a decision made here is saved as a draft.</source>
      <comment>Queue</comment>
      <translation>此案件包中还没有草稿：在这里做出的决定会保存为草稿。</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Open bundle…</source>
      <translation>打开离线包(&amp;O)…</translation>
    </message>
    <message>
      <source>&amp;Export the queue's cases as a bundle…</source>
      <translation>将队列中的案件导出为离线包(&amp;E)…</translation>
    </message>
    <message>
      <source>&amp;Sync bundle…</source>
      <translation>同步离线包(&amp;S)…</translation>
    </message>
    <message>
      <source>Export case &amp;file (PDF)…</source>
      <translation>导出案卷(&amp;F)（PDF）…</translation>
    </message>
    <message>
      <source>%1 — recorded as a draft in the bundle</source>
      <translation>%1 — 已作为草稿记入案件包</translation>
    </message>
    <message>
      <source>offline</source>
      <translation>离线</translation>
    </message>
    <message>
      <source>OFFLINE — bundle %1, exported %2 by %3 from database %4. Nothing executes here; decisions are saved as drafts and applied when the bundle is synced.</source>
      <translation>离线 — 案件包 %1，由 %3 于 %2 从数据库 %4 导出。此处不会执行任何处理；决定保存为草稿，在同步案件包时生效。</translation>
    </message>
    <message>
      <source>This case: %1 draft(s) shown applied, not yet synced (version %2 in the database when exported).</source>
      <translation>此案件：%1 个草稿按已生效显示，尚未同步（导出时数据库中为版本 %2）。</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Terms</source>
      <translation>条款</translation>
    </message>
    <message>
      <source>Based on version</source>
      <translation>基于版本</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Drafted at</source>
      <translation>起草时间</translation>
    </message>
    <message>
      <source>Undo this draft…</source>
      <translation>撤销此草稿…</translation>
    </message>
    <message>
      <source>Removes the selected draft before it is synced: only the last draft of a case (the ones before it are what it was based on)</source>
      <translation>在同步前删除所选草稿：只能撤销一个案件的最后一份草稿（之前的草稿是它的依据）</translation>
    </message>
    <message>
      <source>Remove the draft “%1” of %2 (%3)? It was not synced; nothing of it reaches the database.</source>
      <translation>删除 %2 的草稿“%1”（%3）吗？它尚未同步，不会有任何内容写入数据库。</translation>
    </message>
    <message>
      <source>Draft “%1” of %2 removed</source>
      <translation>草稿已删除：%2 的“%1”</translation>
    </message>
    <message>
      <source>Undo draft</source>
      <translation>撤销草稿</translation>
    </message>
    <message>
      <source>remedy</source>
      <extracomment>a draft's options by name, in the window's words (their values: remedies and parties by the window's labels)</extracomment>
      <translation>处理方式</translation>
    </message>
    <message>
      <source>amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <source>return shipping paid by</source>
      <translation>退货运费承担方</translation>
    </message>
    <message>
      <source>adopting</source>
      <translation>采纳</translation>
    </message>
    <message>
      <source>, </source>
      <comment>list</comment>
      <translation>，</translation>
    </message>
    <message>
      <source>Drafts</source>
      <translation>草稿</translation>
    </message>
    <message>
      <source>Why it was not applied</source>
      <translation>未应用的原因</translation>
    </message>
    <message>
      <source>Synced at</source>
      <translation>同步时间</translation>
    </message>
    <message>
      <source>Conflicts from offline bundles</source>
      <translation>离线包冲突</translation>
    </message>
    <message>
      <source>%1 drafted (based on version %2)</source>
      <translation>已起草%1（基于版本 %2）</translation>
    </message>
    <message>
      <source>The %1 draft was refused: %2</source>
      <translation>%1草稿被拒绝：%2</translation>
    </message>
    <message>
      <source>Send back</source>
      <translation>退回</translation>
    </message>
    <message>
      <source>Internal note</source>
      <translation>内部备注</translation>
    </message>
    <message>
      <source>Why is it sent back?</source>
      <translation>退回的原因？</translation>
    </message>
    <message>
      <source>Note for the case file (not shown to the parties):</source>
      <translation>写入案卷的备注（不向双方显示）：</translation>
    </message>
    <message>
      <source>The bundle could not be opened: %1</source>
      <translation>无法打开案件包：%1</translation>
    </message>
    <message>
      <source>Exporting %1 cases…</source>
      <translation>正在导出 %1 个案件…</translation>
    </message>
    <message>
      <source>Exported %1 cases to %2</source>
      <translation>已将 %1 个案件导出到 %2</translation>
    </message>
    <message>
      <source>The export failed: %1</source>
      <translation>导出失败：%1</translation>
    </message>
    <message>
      <source>Bundle synced: %1 applied, %2 conflicts, %3 rejected, %4 left for others.</source>
      <translation>案件包已同步：%1 个生效，%2 个冲突，%3 个被拒绝，%4 个留给他人。</translation>
    </message>
    <message>
      <source>Nothing of those was applied: open them from the Conflicts list to redo them on the case as it is now.</source>
      <translation>这些均未生效：请从冲突列表中打开，按案件当前状态重新处理。</translation>
    </message>
    <message>
      <source>The bundle was not synced: %1</source>
      <translation>案件包未同步：%1</translation>
    </message>
    <message>
      <source>Your offline %1 did not apply: %2. The case is shown as it is now; your terms are filled in when you open %1 again.</source>
      <translation>你的离线%1未生效：%2。案件按当前状态显示；再次打开%1时会填入你的条款。</translation>
    </message>
    <message>
      <source>Case file written: %1 (%2 pages)</source>
      <translation>案卷已生成：%1（%2 页）</translation>
    </message>
    <message>
      <source>The case file was not written: %1</source>
      <translation>案卷未能生成：%1</translation>
    </message>
    <message>
      <source>Warning</source>
      <comment>Evidence</comment>
      <translation>警告</translation>
    </message>
    <message>
      <source>Open with system &amp;viewer</source>
      <comment>Evidence</comment>
      <translation>用系统查看器打开(&amp;V)</translation>
    </message>
    <message>
      <source>Opens a temporary copy, under a safe name, in your system's program for %1 files</source>
      <comment>Evidence</comment>
      <translation>以安全的文件名生成临时副本，用本机打开 %1 文件的程序打开</translation>
    </message>
    <message>
      <source>&amp;Save as…</source>
      <comment>Evidence</comment>
      <translation>另存为(&amp;S)…</translation>
    </message>
    <message>
      <source>Opened a temporary copy: %1</source>
      <comment>Evidence</comment>
      <translation>已打开临时副本：%1</translation>
    </message>
    <message>
      <source>No program on this system opens %1 files; the copy is at %2</source>
      <comment>Evidence</comment>
      <translation>本机没有能打开 %1 文件的程序；副本位于 %2</translation>
    </message>
    <message>
      <source>Save evidence as</source>
      <comment>Evidence</comment>
      <translation>证据另存为</translation>
    </message>
    <message>
      <source>All files (*)</source>
      <comment>Evidence</comment>
      <translation>所有文件 (*)</translation>
    </message>
    <message>
      <source>Saved %1 (%2 bytes)</source>
      <comment>Evidence</comment>
      <translation>已保存 %1（%2 字节）</translation>
    </message>
    <message>
      <source>&amp;Open</source>
      <comment>Evidence</comment>
      <translation>打开(&amp;O)</translation>
    </message>
    <message>
      <source>Sign in to Mediator</source>
      <translation>登录 Mediator</translation>
    </message>
    <message>
      <source>The database asks for the password of %1.</source>
      <translation>数据库要求输入 %1 的密码。</translation>
    </message>
    <message>
      <source>The database refused the password: try again.</source>
      <translation>数据库拒绝了该密码，请重试。</translation>
    </message>
    <message>
      <source>Remember in the system keyring</source>
      <translation>保存在系统钥匙串中</translation>
    </message>
    <message>
      <source>This computer has no system keyring: the password is asked every time.</source>
      <translation>此计算机没有系统钥匙串：每次都会询问密码。</translation>
    </message>
    <message>
      <source>Signed in as %1 (%2)</source>
      <translation>已登录：%1（%2）</translation>
    </message>
    <message>
      <source>open</source>
      <extracomment>The words of the case file (context "CaseFile"); the window's labels, phrasebook and locale do the rest</extracomment>
      <translation>进行中</translation>
    </message>
    <message>
      <source>closed</source>
      <translation>已结案</translation>
    </message>
    <message>
      <source>pending</source>
      <translation>待同步</translation>
    </message>
    <message>
      <source>applied</source>
      <translation>已应用</translation>
    </message>
    <message>
      <source>conflict</source>
      <translation>冲突</translation>
    </message>
    <message>
      <source>rejected</source>
      <translation>已拒绝</translation>
    </message>
    <message>
      <source>propose</source>
      <translation>提出方案</translation>
    </message>
    <message>
      <source>rule</source>
      <translation>裁决</translation>
    </message>
    <message>
      <source>note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>send back</source>
      <translation>退回</translation>
    </message>
    <message>
      <source>approve</source>
      <translation>审批通过</translation>
    </message>
    <message>
      <source>database %1</source>
      <extracomment>Where the document came from (`render`'s `source`, the caller's English: "database …" / "bundle …")</extracomment>
      <translation>数据库 %1</translation>
    </message>
    <message>
      <source>bundle %1</source>
      <translation>案件包 %1</translation>
    </message>
    <message>
      <source>(none)</source>
      <comment>CaseFile</comment>
      <translation>（无）</translation>
    </message>
    <message>
      <source>return shipping paid by %1</source>
      <comment>CaseFile</comment>
      <translation>退货运费由%1承担</translation>
    </message>
    <message>
      <source>note: %1</source>
      <comment>CaseFile</comment>
      <translation>备注：%1</translation>
    </message>
    <message>
      <source>No running clock.</source>
      <comment>CaseFile</comment>
      <translation>没有正在计时的时钟。</translation>
    </message>
    <message>
      <source>must act: %1</source>
      <comment>CaseFile</comment>
      <translation>须行动：%1</translation>
    </message>
    <message>
      <source>overdue</source>
      <comment>CaseFile</comment>
      <translation>已超时</translation>
    </message>
    <message>
      <source>started %1</source>
      <comment>CaseFile</comment>
      <translation>开始于 %1</translation>
    </message>
    <message>
      <source>Clock</source>
      <comment>CaseFile</comment>
      <translation>倒计时</translation>
    </message>
    <message>
      <source>Due</source>
      <comment>CaseFile</comment>
      <translation>到期</translation>
    </message>
    <message>
      <source>On expiry</source>
      <comment>CaseFile</comment>
      <translation>到期后</translation>
    </message>
    <message>
      <source>Reached by</source>
      <comment>CaseFile</comment>
      <translation>结案方式</translation>
    </message>
    <message>
      <source>Proposal executed</source>
      <comment>CaseFile</comment>
      <translation>执行的方案</translation>
    </message>
    <message>
      <source>Refund</source>
      <comment>CaseFile</comment>
      <translation>退款</translation>
    </message>
    <message>
      <source>required</source>
      <comment>CaseFile</comment>
      <translation>需要退货</translation>
    </message>
    <message>
      <source>Return</source>
      <comment>CaseFile</comment>
      <translation>退货</translation>
    </message>
    <message>
      <source>Resolved</source>
      <comment>CaseFile</comment>
      <translation>已解决</translation>
    </message>
    <message>
      <source>Case file %1</source>
      <comment>CaseFile</comment>
      <translation>案件档案 %1</translation>
    </message>
    <message>
      <source>From an offline bundle</source>
      <comment>CaseFile</comment>
      <translation>来自离线案件包</translation>
    </message>
    <message>
      <source>exported %1 by %2 from database %3. Drafts are shown applied and marked as drafts.</source>
      <comment>CaseFile</comment>
      <translation>由 %2 于 %1 从数据库 %3 导出。草稿按已应用显示，并标为草稿。</translation>
    </message>
    <message>
      <source>Dispute</source>
      <comment>CaseFile</comment>
      <translation>争议</translation>
    </message>
    <message>
      <source>Order</source>
      <comment>CaseFile</comment>
      <translation>订单</translation>
    </message>
    <message>
      <source>Buyer</source>
      <comment>CaseFile</comment>
      <translation>买家</translation>
    </message>
    <message>
      <source>Seller</source>
      <comment>CaseFile</comment>
      <translation>卖家</translation>
    </message>
    <message>
      <source>Kind / reason</source>
      <comment>CaseFile</comment>
      <translation>类型 / 原因</translation>
    </message>
    <message>
      <source>Policy</source>
      <comment>CaseFile</comment>
      <translation>规则版本</translation>
    </message>
    <message>
      <source>Status / stage</source>
      <comment>CaseFile</comment>
      <translation>状态 / 阶段</translation>
    </message>
    <message>
      <source>Version</source>
      <comment>CaseFile</comment>
      <translation>版本</translation>
    </message>
    <message>
      <source>Order total</source>
      <comment>CaseFile</comment>
      <translation>订单金额</translation>
    </message>
    <message>
      <source>Opened</source>
      <comment>CaseFile</comment>
      <translation>发起</translation>
    </message>
    <message>
      <source>Held by</source>
      <comment>CaseFile</comment>
      <translation>处理人</translation>
    </message>
    <message>
      <source>nobody</source>
      <comment>CaseFile</comment>
      <translation>无人</translation>
    </message>
    <message>
      <source>SLA breached</source>
      <comment>CaseFile</comment>
      <translation>超出 SLA</translation>
    </message>
    <message>
      <source>yes</source>
      <comment>CaseFile</comment>
      <translation>是</translation>
    </message>
    <message>
      <source>no</source>
      <comment>CaseFile</comment>
      <translation>否</translation>
    </message>
    <message>
      <source>Clocks</source>
      <comment>CaseFile</comment>
      <translation>时钟</translation>
    </message>
    <message>
      <source>Proposals</source>
      <comment>CaseFile</comment>
      <translation>方案</translation>
    </message>
    <message>
      <source>Current: %1</source>
      <comment>CaseFile</comment>
      <translation>当前：%1</translation>
    </message>
    <message>
      <source>draft</source>
      <comment>CaseFile</comment>
      <translation>草稿</translation>
    </message>
    <message>
      <source>At (UTC)</source>
      <comment>CaseFile</comment>
      <translation>时间（UTC）</translation>
    </message>
    <message>
      <source>Proposal</source>
      <comment>CaseFile</comment>
      <translation>方案</translation>
    </message>
    <message>
      <source>Status</source>
      <comment>CaseFile</comment>
      <translation>状态</translation>
    </message>
    <message>
      <source>ruling</source>
      <comment>CaseFile</comment>
      <translation>裁决</translation>
    </message>
    <message>
      <source>platform proposal</source>
      <comment>CaseFile</comment>
      <translation>平台方案</translation>
    </message>
    <message>
      <source>%1 by %2: %3</source>
      <comment>CaseFile</comment>
      <translation>%2 提交的%1：%3</translation>
    </message>
    <message>
      <source>Awaiting approval:</source>
      <comment>CaseFile</comment>
      <translation>待审批：</translation>
    </message>
    <message>
      <source>Outcome</source>
      <comment>CaseFile</comment>
      <translation>结果</translation>
    </message>
    <message>
      <source>Not resolved.</source>
      <comment>CaseFile</comment>
      <translation>尚未结案。</translation>
    </message>
    <message>
      <source>Timeline</source>
      <comment>CaseFile</comment>
      <translation>时间线</translation>
    </message>
    <message>
      <source>What</source>
      <comment>CaseFile</comment>
      <translation>事件</translation>
    </message>
    <message>
      <source>Who</source>
      <comment>CaseFile</comment>
      <translation>参与方</translation>
    </message>
    <message>
      <source>Summary</source>
      <comment>CaseFile</comment>
      <translation>摘要</translation>
    </message>
    <message>
      <source>Messages</source>
      <comment>CaseFile</comment>
      <translation>消息</translation>
    </message>
    <message>
      <source>Party</source>
      <comment>CaseFile</comment>
      <translation>当事方</translation>
    </message>
    <message>
      <source>Message</source>
      <comment>CaseFile</comment>
      <translation>消息内容</translation>
    </message>
    <message>
      <source>No messages.</source>
      <comment>CaseFile</comment>
      <translation>没有消息。</translation>
    </message>
    <message>
      <source>Evidence</source>
      <comment>CaseFile</comment>
      <translation>证据</translation>
    </message>
    <message>
      <source>no preview</source>
      <comment>CaseFile</comment>
      <translation>无预览</translation>
    </message>
    <message>
      <source>%1 bytes</source>
      <comment>CaseFile</comment>
      <translation>%1 字节</translation>
    </message>
    <message>
      <source>Preview</source>
      <comment>CaseFile</comment>
      <translation>预览</translation>
    </message>
    <message>
      <source>File</source>
      <comment>CaseFile</comment>
      <translation>文件</translation>
    </message>
    <message>
      <source>No evidence.</source>
      <comment>CaseFile</comment>
      <translation>没有证据。</translation>
    </message>
    <message>
      <source>Drafts</source>
      <comment>CaseFile</comment>
      <translation>草稿</translation>
    </message>
    <message>
      <source>Draft</source>
      <comment>CaseFile</comment>
      <translation>草稿</translation>
    </message>
    <message>
      <source>Action</source>
      <comment>CaseFile</comment>
      <translation>操作</translation>
    </message>
    <message>
      <source>Based on version</source>
      <comment>CaseFile</comment>
      <translation>基于版本</translation>
    </message>
    <message>
      <source>Case file %1 · generated at %2 from %3</source>
      <comment>CaseFile</comment>
      <translation>案件档案 %1 · 生成于 %2 · 来源：%3</translation>
    </message>
    <message>
      <source>page %1 of %2</source>
      <comment>CaseFile</comment>
      <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
      <source>Outbound feed warning</source>
      <comment>Desk</comment>
      <translation>出站事件流警告</translation>
    </message>
    <message>
      <source>Warn when a consumer of the outbound feed is more than this many events behind:</source>
      <comment>Desk</comment>
      <translation>当出站事件流的消费方落后超过此事件数时发出警告：</translation>
    </message>
    <message>
      <source>Outbound feed:</source>
      <comment>Desk</comment>
      <translation>出站事件流：</translation>
    </message>
    <message>
      <source>no consumer has acknowledged an event yet</source>
      <comment>Desk</comment>
      <translation>尚无消费方确认过事件</translation>
    </message>
    <message>
      <source>The outbound feed could not be read: %1</source>
      <comment>Desk</comment>
      <translation>无法读取出站事件流：%1</translation>
    </message>
    <message>
      <source>%1 has acknowledged the events up to %2 (at %3); %4 committed events follow</source>
      <comment>Desk</comment>
      <translation>%1 已确认至事件 %2（于 %3）；其后还有 %4 个已提交事件</translation>
    </message>
    <message>
      <source>⚠ More than %2 events behind: %1 — rulings and refunds may not be reaching the marketplace</source>
      <comment>Desk</comment>
      <translation>⚠ 落后超过 %2 个事件：%1 — 裁决和退款可能未送达平台</translation>
    </message>
    <message>
      <source>%1: up to date</source>
      <comment>Desk</comment>
      <translation>%1：已跟上</translation>
    </message>
    <message>
      <source>%1: %2 behind</source>
      <comment>Desk</comment>
      <translation>%1：落后 %2</translation>
    </message>
    <message>
      <source>Dispute</source>
      <comment>AuditCheck</comment>
      <translation>争议</translation>
    </message>
    <message>
      <source>Version</source>
      <comment>AuditCheck</comment>
      <translation>版本</translation>
    </message>
    <message>
      <source>Problem</source>
      <comment>AuditCheck</comment>
      <translation>问题</translation>
    </message>
    <message>
      <source>Verify audit trail</source>
      <comment>AuditCheck</comment>
      <translation>校验审计记录</translation>
    </message>
    <message>
      <source>Checking every dispute's history: hashes, versions and the replay of its rules…</source>
      <comment>AuditCheck</comment>
      <translation>正在核验每个争议的历史：哈希、版本以及按规则重演…</translation>
    </message>
    <message>
      <source>Cancel</source>
      <comment>AuditCheck</comment>
      <translation>取消</translation>
    </message>
    <message>
      <source>Close</source>
      <comment>AuditCheck</comment>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Stopping…</source>
      <comment>AuditCheck</comment>
      <translation>正在停止…</translation>
    </message>
    <message>
      <source>Checked %1 of %2 disputes…</source>
      <comment>AuditCheck</comment>
      <translation>已核验 %1 / %2 个争议…</translation>
    </message>
    <message>
      <source>%1 disputes, %2 history rows checked</source>
      <comment>AuditCheck</comment>
      <translation>已核验 %1 个争议、%2 条历史记录</translation>
    </message>
    <message>
      <source>%1 problems found. Double-click or press Enter on one to open its case.</source>
      <comment>AuditCheck</comment>
      <translation>发现 %1 个问题。双击或按回车打开对应案件。</translation>
    </message>
    <message>
      <source>no problem found: every history row matches its hash and every case its replay.</source>
      <comment>AuditCheck</comment>
      <translation>未发现问题：每条历史记录都与其哈希一致，每个案件都与其重演一致。</translation>
    </message>
    <message>
      <source>Cancelled: the check was stopped before it covered every dispute.</source>
      <comment>AuditCheck</comment>
      <translation>已取消：核验在覆盖全部争议之前停止。</translation>
    </message>
    <message>
      <source>The check could not run: %1</source>
      <comment>AuditCheck</comment>
      <translation>核验无法进行：%1</translation>
    </message>
    <message>
      <source>&amp;Tools</source>
      <comment>AuditCheck</comment>
      <translation>工具(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;Verify audit trail…</source>
      <comment>AuditCheck</comment>
      <translation>核验审计记录(&amp;V)…</translation>
    </message>
    <message>
      <source>Check every history row's hash and replay every case through the rules</source>
      <comment>AuditCheck</comment>
      <translation>核对每条历史记录的哈希，并按规则重演每个案件</translation>
    </message>
    <message>
      <source>[DRAFT]</source>
      <translation>[草稿]</translation>
    </message>
    <message>
      <source>[SYNCED]</source>
      <translation>[已同步]</translation>
    </message>
    <message>
      <source>offline bundle %1</source>
      <extracomment>Python collects its youngest objects every 700 allocations; painting the queue allocates a few per cell, so collections fell inside paints (scroll paint p95 15 ms, worst 80 ms at 200,000 rows). Every 20,000 allocations keeps them out of most paints (p95 13 ms, worst 22 ms) for a few MB more garbage in flight.</extracomment>
      <translation>离线案件包 %1</translation>
    </message>
    <message>
      <source>The database is out of reach.</source>
      <comment>Desk</comment>
      <translation>无法连接数据库。</translation>
    </message>
  </context>
  <context>
    <name>AssignDialog</name>
    <message>
      <source>Assign %1</source>
      <translation>分配 %1</translation>
    </message>
    <message>
      <source>Give the case to:</source>
      <translation>将案件分配给：</translation>
    </message>
  </context>
  <context>
    <name>CaseActions</name>
    <message>
      <source>%1: done</source>
      <extracomment>the backoff between attempts while the database is out of reach (tests inject a short one)</extracomment>
      <translation>%1：已完成</translation>
    </message>
    <message>
      <source>%1 was refused: %2</source>
      <translation>%1被拒绝：%2</translation>
    </message>
    <message>
      <source>The database is out of reach.</source>
      <translation>无法连接数据库。</translation>
    </message>
    <message>
      <source>%3 Your %1 is kept and will be sent again in %2 s.</source>
      <translation>%3 你的%1已保留，将在 %2 秒后重新发送。</translation>
    </message>
    <message>
      <source>%1 failed: %2</source>
      <translation>%1失败：%2</translation>
    </message>
    <message>
      <source>&lt;b&gt;This case changed while you were working on it&lt;/b&gt; (version %1 → %2). Nothing was applied; your draft is kept — check the case and try again.%3</source>
      <translation>&lt;b&gt;你处理期间该案件已有变化&lt;/b&gt;（版本 %1 → %2）。未做任何更改；你的草稿已保留 — 请查看案件后重试。%3</translation>
    </message>
    <message>
      <source>Every case in this view is claimed.</source>
      <translation>此视图中的案件均已被认领。</translation>
    </message>
    <message>
      <source>Claim</source>
      <translation>认领</translation>
    </message>
    <message>
      <source>Release</source>
      <translation>释放</translation>
    </message>
    <message>
      <source>Approval</source>
      <translation>审批</translation>
    </message>
    <message>
      <source>Proposal</source>
      <translation>方案</translation>
    </message>
    <message>
      <source>Ruling</source>
      <translation>裁决</translation>
    </message>
    <message>
      <source>Assignment</source>
      <translation>分配</translation>
    </message>
    <message>
      <source>Send back</source>
      <translation>退回</translation>
    </message>
    <message>
      <source>Why is it sent back?</source>
      <translation>退回原因？</translation>
    </message>
    <message>
      <source>Internal note</source>
      <translation>内部备注</translation>
    </message>
    <message>
      <source>Note for the case file (not shown to the parties):</source>
      <translation>案卷备注（双方不可见）：</translation>
    </message>
  </context>
  <context>
    <name>CaseHeader</name>
    <message>
      <source>Stage</source>
      <translation>阶段</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <source>Assigned to</source>
      <translation>处理人</translation>
    </message>
    <message>
      <source>Order</source>
      <translation>订单</translation>
    </message>
    <message>
      <source>Order total</source>
      <translation>订单总额</translation>
    </message>
    <message>
      <source>Buyer asks</source>
      <translation>买家申请</translation>
    </message>
    <message>
      <source>Opened</source>
      <translation>发起时间</translation>
    </message>
    <message>
      <source>Buyer</source>
      <translation>买家</translation>
    </message>
    <message>
      <source>Seller</source>
      <translation>卖家</translation>
    </message>
    <message>
      <source>Platform SLA</source>
      <translation>平台 SLA</translation>
    </message>
    <message>
      <source>policy %1</source>
      <translation>规则 %1</translation>
    </message>
    <message>
      <source>nobody</source>
      <translation>无人</translation>
    </message>
    <message>
      <source>%1 (assigned by %2)</source>
      <translation>%1（由 %2 分配）</translation>
    </message>
    <message>
      <source>%1 (until %2)</source>
      <translation>%1（至 %2）</translation>
    </message>
    <message>
      <source>open</source>
      <translation>未结</translation>
    </message>
    <message>
      <source>closed</source>
      <translation>已结案</translation>
    </message>
    <message>
      <source>(no active proposal)</source>
      <translation>（无有效方案）</translation>
    </message>
    <message>
      <source>⚠ BREACHED</source>
      <translation>⚠ 已超时</translation>
    </message>
    <message>
      <source>within SLA</source>
      <translation>SLA 内</translation>
    </message>
    <message>
      <source>Outcome: %1</source>
      <translation>结果：%1</translation>
    </message>
    <message>
      <source>Pending approval: %1</source>
      <translation>待审批：%1</translation>
    </message>
  </context>
  <context>
    <name>CaseView</name>
    <message>
      <source>Select a case in the queue to see it here.</source>
      <translation>在队列中选择一个案件即可在此查看。</translation>
    </message>
    <message>
      <source>Clocks</source>
      <translation>倒计时</translation>
    </message>
    <message>
      <source>No running clocks: nothing will execute by itself.</source>
      <translation>无进行中的倒计时：不会自动执行任何处理。</translation>
    </message>
    <message>
      <source>Proposals</source>
      <translation>方案</translation>
    </message>
    <message>
      <source>Timeline</source>
      <translation>时间线</translation>
    </message>
    <message>
      <source>Time (your zone)</source>
      <translation>时间（你的时区）</translation>
    </message>
    <message>
      <source>Event</source>
      <translation>事件</translation>
    </message>
    <message>
      <source>Party / by</source>
      <translation>当事方 / 操作人</translation>
    </message>
    <message>
      <source>Summary</source>
      <translation>摘要</translation>
    </message>
    <message>
      <source>Messages</source>
      <translation>留言</translation>
    </message>
    <message>
      <source>No messages in this case.</source>
      <translation>此案件没有留言。</translation>
    </message>
    <message>
      <source>Timeline (%1)</source>
      <translation>时间线（%1）</translation>
    </message>
    <message>
      <source>Evidence (%1)</source>
      <translation>证据（%1）</translation>
    </message>
    <message>
      <source>Messages (%1)</source>
      <translation>留言（%1）</translation>
    </message>
  </context>
  <context>
    <name>ClocksView</name>
    <message>
      <source>Running clocks</source>
      <translation>进行中的倒计时</translation>
    </message>
    <message>
      <source>Clock</source>
      <translation>倒计时</translation>
    </message>
    <message>
      <source>Must act</source>
      <translation>须处理方</translation>
    </message>
    <message>
      <source>Time left</source>
      <translation>剩余时间</translation>
    </message>
    <message>
      <source>Due (%1)</source>
      <translation>到期（%1）</translation>
    </message>
    <message>
      <source>On expiry</source>
      <translation>超时后</translation>
    </message>
    <message>
      <source>Why: rule and start</source>
      <translation>依据：规则与起始事件</translation>
    </message>
    <message>
      <source>due time in your time zone (%1)</source>
      <translation>你所在时区的到期时间（%1）</translation>
    </message>
    <message>
      <source>due time in the platform's time zone (%1)</source>
      <translation>平台时区的到期时间（%1）</translation>
    </message>
  </context>
  <context>
    <name>Commands</name>
    <message>
      <source>&amp;Next case</source>
      <extracomment>command -&gt; (menu text, shortcut, the domain action it takes: its roles and its enabling)</extracomment>
      <translation>下一个案件(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Claim</source>
      <translation>认领(&amp;C)</translation>
    </message>
    <message>
      <source>Re&amp;lease</source>
      <translation>释放(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Propose…</source>
      <translation>提出方案(&amp;P)…</translation>
    </message>
    <message>
      <source>&amp;Rule…</source>
      <translation>裁决(&amp;R)…</translation>
    </message>
    <message>
      <source>&amp;Approve</source>
      <translation>审批通过(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Send back…</source>
      <translation>退回(&amp;S)…</translation>
    </message>
    <message>
      <source>Assi&amp;gn to…</source>
      <translation>分配给(&amp;G)…</translation>
    </message>
    <message>
      <source>N&amp;ote…</source>
      <translation>备注(&amp;O)…</translation>
    </message>
    <message>
      <source>Re&amp;fresh</source>
      <translation>刷新(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Case</source>
      <extracomment>commands that act on the open case: enabled exactly when the domain allows their action</extracomment>
      <translation>案件(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>Actions</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Run the &amp;sweeper on this workstation</source>
      <translation>在本工作站运行巡检(&amp;S)</translation>
    </message>
    <message>
      <source>Execute expired party clocks from here every %1 s (exactly once, however many workstations do)</source>
      <translation>每 %1 秒在此执行已超时的当事方倒计时（无论多少工作站同时运行，都只执行一次）</translation>
    </message>
    <message>
      <source>&amp;Filter the queue</source>
      <translation>筛选队列(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Settings</source>
      <translation>设置(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
  </context>
  <context>
    <name>Evidence</name>
    <message>
      <source>image too large to preview</source>
      <translation>图片过大，无法预览</translation>
    </message>
    <message>
      <source>the image could not be decoded</source>
      <translation>图片无法解码</translation>
    </message>
    <message>
      <source>evidence altered: its bytes no longer match the sha256 recorded when it was added</source>
      <translation>证据已被篡改：其内容与添加时记录的 sha256 不再一致</translation>
    </message>
  </context>
  <context>
    <name>EvidenceTile</name>
    <message>
      <source>open the image full size</source>
      <translation>查看原图</translation>
    </message>
    <message>
      <source>show the file's details (no preview for %1)</source>
      <translation>查看文件详情（%1 无法预览）</translation>
    </message>
    <message>
      <source>Evidence %1 from %2</source>
      <translation>证据 %1，来自%2</translation>
    </message>
    <message>
      <source>evidence altered</source>
      <translation>证据已被篡改</translation>
    </message>
    <message>
      <source>could not load: %1</source>
      <translation>无法加载：%1</translation>
    </message>
  </context>
  <context>
    <name>EvidenceView</name>
    <message>
      <source>No evidence in this case.</source>
      <translation>此案件没有证据。</translation>
    </message>
  </context>
  <context>
    <name>GapMeter</name>
    <message>
      <source>gap %1–%2: %3</source>
      <translation>差距 %1–%2：%3</translation>
    </message>
    <message>
      <source>gap: needs two proposals</source>
      <translation>差距：需要两个方案</translation>
    </message>
    <message>
      <source>%1 %2</source>
      <translation>%1 %2</translation>
    </message>
    <message>
      <source>of order total %1</source>
      <translation>占订单总额 %1</translation>
    </message>
    <message>
      <source>B</source>
      <translation>买</translation>
    </message>
    <message>
      <source>S</source>
      <translation>卖</translation>
    </message>
    <message>
      <source>P</source>
      <translation>平</translation>
    </message>
    <message>
      <source>Gap meter</source>
      <translation>差距标尺</translation>
    </message>
    <message>
      <source>B buyer · S seller · P platform, on 0 … order total</source>
      <translation>买 买家 · 卖 卖家 · 平 平台，刻度 0 … 订单总额</translation>
    </message>
  </context>
  <context>
    <name>ImageDialog</name>
    <message>
      <source>Evidence — %1</source>
      <translation>证据 — %1</translation>
    </message>
    <message>
      <source>%1 · from %2 · %3 · %4 · added %5
sha256 %6</source>
      <translation>%1 · 来自%2 · %3 · %4 · 添加于 %5
sha256 %6</translation>
    </message>
    <message>
      <source>Image %1</source>
      <translation>图片 %1</translation>
    </message>
    <message>
      <source>No preview for %1 files.</source>
      <translation>%1 文件无法预览。</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Mediator — %1 (%2)</source>
      <translation>Mediator 争议调解 — %1（%2）</translation>
    </message>
    <message>
      <source>Database: %1</source>
      <translation>数据库：%1</translation>
    </message>
    <message>
      <source>○ connecting…</source>
      <translation>○ 连接中…</translation>
    </message>
    <message>
      <source>Sweeper on: first run…</source>
      <translation>巡检已开启：首次运行…</translation>
    </message>
    <message>
      <source>This workstation executes expired party clocks every %1 s</source>
      <translation>本工作站每 %1 秒执行已超时的当事方倒计时</translation>
    </message>
    <message>
      <source>● live</source>
      <translation>● 实时</translation>
    </message>
    <message>
      <source>○ reconnecting…</source>
      <translation>○ 重新连接中…</translation>
    </message>
    <message>
      <source>Changes from other workstations arrive within a second</source>
      <translation>其他工作站的更改在一秒内同步</translation>
    </message>
    <message>
      <source>The database is out of reach; retrying</source>
      <translation>无法连接数据库；正在重试</translation>
    </message>
    <message>
      <source>SIMULATED %1</source>
      <translation>模拟时间 %1</translation>
    </message>
    <message>
      <source>👁 Also open by: %1</source>
      <translation>👁 同时在查看：%1</translation>
    </message>
    <message>
      <source>Sweeper %1 · %2 executed</source>
      <translation>巡检 %1 · 已执行 %2 个</translation>
    </message>
    <message>
      <source>Sweeper: %1 expired clocks executed</source>
      <translation>巡检：已执行 %1 个超时倒计时</translation>
    </message>
  </context>
  <context>
    <name>Messages</name>
    <message>
      <source>Dismiss the message</source>
      <translation>关闭此消息</translation>
    </message>
    <message>
      <source>Working…</source>
      <translation>处理中…</translation>
    </message>
    <message>
      <source>Error: %1</source>
      <translation>错误：%1</translation>
    </message>
  </context>
  <context>
    <name>Phrases</name>
    <message>
      <source>version %1 is missing from the history (a row was deleted)</source>
      <extracomment>(pattern, template): first full match wins; group names: see `_word`</extracomment>
      <translation>历史中缺少第 %1 版（有记录被删除）</translation>
    </message>
    <message>
      <source>the history row does not match its hash (its content was changed)</source>
      <translation>该历史记录与其哈希不符（内容被改动）</translation>
    </message>
    <message>
      <source>the history row has no hash</source>
      <translation>该历史记录没有哈希</translation>
    </message>
    <message>
      <source>the history row carries no replay record</source>
      <translation>该历史记录没有重演记录</translation>
    </message>
    <message>
      <source>the history row differs from its replay (%1)</source>
      <translation>该历史记录与其重演不一致（%1）</translation>
    </message>
    <message>
      <source>the stored state differs from the replay of its history (%1)</source>
      <translation>存储的状态与其历史的重演不一致（%1）</translation>
    </message>
    <message>
      <source>the dispute's columns differ from its stored state (%1)</source>
      <translation>争议的列与其存储的状态不一致（%1）</translation>
    </message>
    <message>
      <source>the rules refuse it on replay: %1</source>
      <translation>重演时规则拒绝了它：%1</translation>
    </message>
    <message>
      <source>on replay no clock is due at this row's time</source>
      <translation>重演时在该记录的时间没有到期的计时器</translation>
    </message>
    <message>
      <source>buyer opened a %1 dispute (%2) asking %3 on order %4</source>
      <translation>买家发起%1争议（%2），申请%3，订单 %4</translation>
    </message>
    <message>
      <source>%1 (supersedes %2)</source>
      <translation>%1（取代 %2）</translation>
    </message>
    <message>
      <source>%1 (replaces %2)</source>
      <translation>%1（替换 %2）</translation>
    </message>
    <message>
      <source>%1; this rejects the platform proposal</source>
      <translation>%1；即拒绝平台方案</translation>
    </message>
    <message>
      <source>%1 posted %2: %3</source>
      <translation>%1提交方案 %2：%3</translation>
    </message>
    <message>
      <source>%1 withdrew %2 (%3)</source>
      <translation>%1撤回方案 %2（%3）</translation>
    </message>
    <message>
      <source>%1 accepted the %2's proposal %3: %4</source>
      <translation>%1接受%2的方案 %3：%4</translation>
    </message>
    <message>
      <source>%1 accepted platform proposal %2; both accepted: %3</source>
      <translation>%1接受平台方案 %2；双方均已接受：%3</translation>
    </message>
    <message>
      <source>%1 accepted platform proposal %2</source>
      <translation>%1接受平台方案 %2</translation>
    </message>
    <message>
      <source>%1 rejected platform proposal %2: %3</source>
      <translation>%1拒绝平台方案 %2：%3</translation>
    </message>
    <message>
      <source>%1 rejected platform proposal %2</source>
      <translation>%1拒绝平台方案 %2</translation>
    </message>
    <message>
      <source>%1 asked the platform to arbitrate</source>
      <translation>%1申请平台介入</translation>
    </message>
    <message>
      <source>buyer cancelled the dispute (the %1 awaiting approval is dropped)</source>
      <translation>买家撤销争议（待审批的%1作废）</translation>
    </message>
    <message>
      <source>buyer cancelled the dispute</source>
      <translation>买家撤销争议</translation>
    </message>
    <message>
      <source>%1 added evidence %2 (%3, %4 bytes)</source>
      <translation>%1添加证据 %2（%3，%4 字节）</translation>
    </message>
    <message>
      <source>buyer shipped the return via %1, tracking %2</source>
      <translation>买家已通过 %1 寄回退货，运单号 %2</translation>
    </message>
    <message>
      <source>buyer shipped the return, tracking %1</source>
      <translation>买家已寄回退货，运单号 %1</translation>
    </message>
    <message>
      <source>seller confirmed receipt of the return: refund %1 executes</source>
      <translation>卖家确认收到退货：执行退款 %1</translation>
    </message>
    <message>
      <source>the buyer did not ship the return in time: closed with no refund</source>
      <translation>买家未按时寄回退货：结案，不退款</translation>
    </message>
    <message>
      <source>the seller did not confirm receipt in time: refund %1 executes</source>
      <translation>卖家未按时确认收货：执行退款 %1</translation>
    </message>
    <message>
      <source>the %1 did not respond in time: %2 proposal %3 executes (%4)</source>
      <translation>%1超时未回应：执行%2方案 %3（%4）</translation>
    </message>
    <message>
      <source>the %1 did not respond in time: closed with no refund</source>
      <translation>%1超时未回应：结案，不退款</translation>
    </message>
    <message>
      <source>%1 proposed %2: %3; awaits a supervisor's approval</source>
      <translation>%1提出方案 %2：%3；等待主管审批</translation>
    </message>
    <message>
      <source>%1 proposed %2: %3</source>
      <translation>%1提出方案 %2：%3</translation>
    </message>
    <message>
      <source>%1 — %2</source>
      <translation>%1 — %2</translation>
    </message>
    <message>
      <source>%1 ruled for the %2 (%3); awaits a supervisor's approval</source>
      <translation>%1裁决支持%2（%3）；等待主管审批</translation>
    </message>
    <message>
      <source>%1 ruled for the %2: %3 executes (%4)</source>
      <translation>%1裁决支持%2：执行 %3（%4）</translation>
    </message>
    <message>
      <source>%1 approved %2's ruling for the %3: %4 executes (%5)</source>
      <translation>%1审批通过%2支持%3的裁决：执行 %4（%5）</translation>
    </message>
    <message>
      <source>%1 approved %2's platform proposal %3: %4</source>
      <translation>%1审批通过%2的平台方案 %3：%4</translation>
    </message>
    <message>
      <source>%1 sent back %2's %3: %4</source>
      <translation>%1退回%2的%3：%4</translation>
    </message>
    <message>
      <source>%1 renewed the claim until %2</source>
      <translation>%1续期认领至 %2</translation>
    </message>
    <message>
      <source>%1 took the case over from %2</source>
      <translation>%1从%2处接管案件</translation>
    </message>
    <message>
      <source>%1 claimed the case until %2</source>
      <translation>%1认领案件至 %2</translation>
    </message>
    <message>
      <source>%1 assigned the case to %2 (held by %3)</source>
      <translation>%1将案件分配给%2（原处理人 %3）</translation>
    </message>
    <message>
      <source>%1 assigned the case to %2</source>
      <translation>%1将案件分配给%2</translation>
    </message>
    <message>
      <source>%1 released the case (held by %2)</source>
      <translation>%1释放案件（原处理人 %2）</translation>
    </message>
    <message>
      <source>%1 ran out at %2; %3</source>
      <translation>%1已于 %2 超时；%3</translation>
    </message>
    <message>
      <source>%1 ran out at %2: %3</source>
      <translation>%1已于 %2 超时：%3</translation>
    </message>
    <message>
      <source>this case has moved on</source>
      <translation>此案件已有新进展</translation>
    </message>
    <message>
      <source>%1 is a %2; %3 needs the role %4</source>
      <translation>%1 是%2；%3需要%4角色</translation>
    </message>
    <message>
      <source>%1 is not allowed in stage %2 (allowed in %3)</source>
      <translation>“%2”阶段不能%1（允许的阶段：%3）</translation>
    </message>
    <message>
      <source>nobody approves their own %1 (%2 made it)</source>
      <translation>不能审批自己的%1（由 %2 作出）</translation>
    </message>
    <message>
      <source>dispute %1 is closed; a claim on a closed dispute is rejected</source>
      <translation>争议 %1 已结案；不能认领已结案的争议</translation>
    </message>
    <message>
      <source>dispute %1 is closed; it cannot be assigned</source>
      <translation>争议 %1 已结案；不能分配</translation>
    </message>
    <message>
      <source>%1 is claimed by %2 until %3; only a supervisor may take it over</source>
      <translation>%1 已由 %2 认领至 %3；只有主管可以接管</translation>
    </message>
    <message>
      <source>%1; only a supervisor may take it over</source>
      <translation>%1；只有主管可以接管</translation>
    </message>
    <message>
      <source>%1 is not claimed by anyone</source>
      <translation>%1 无人认领</translation>
    </message>
    <message>
      <source>%1 is claimed by %2; only the holder or a supervisor releases it</source>
      <translation>%1 已由 %2 认领；只有处理人或主管可以释放</translation>
    </message>
    <message>
      <source>%1; only the holder or a supervisor releases it</source>
      <translation>%1；只有处理人或主管可以释放</translation>
    </message>
    <message>
      <source>%1 is claimed by %2 until %3</source>
      <translation>%1 已由 %2 认领至 %3</translation>
    </message>
    <message>
      <source>%1 is assigned to %2 (by %3)</source>
      <translation>%1 已由 %3 分配给 %2</translation>
    </message>
    <message>
      <source>already assigned to %1</source>
      <translation>已分配给 %1</translation>
    </message>
    <message>
      <source>send-back needs a note saying why</source>
      <translation>退回须填写原因</translation>
    </message>
    <message>
      <source>a note needs text</source>
      <translation>备注不能为空</translation>
    </message>
    <message>
      <source>%1 is a %2 and cannot hold cases</source>
      <translation>%1 是%2，不能处理案件</translation>
    </message>
    <message>
      <source>the %1 has no active proposal to adopt</source>
      <translation>%1没有可采纳的有效方案</translation>
    </message>
    <message>
      <source>--adopt must be buyer, seller or platform (got %1)</source>
      <translation>--adopt 须为买家、卖家或平台（收到 %1）</translation>
    </message>
    <message>
      <source>version conflict on %1: expected version %2, the case is at version %3</source>
      <translation>%1 版本冲突：预期版本 %2，案件已是版本 %3</translation>
    </message>
    <message>
      <source>unknown dispute %1: nothing exported</source>
      <translation>未知争议 %1：未导出任何案件</translation>
    </message>
    <message>
      <source>unknown dispute %1</source>
      <translation>未知争议 %1</translation>
    </message>
    <message>
      <source>unknown user %1</source>
      <translation>未知用户 %1</translation>
    </message>
    <message>
      <source>unknown evidence %1</source>
      <translation>未知证据 %1</translation>
    </message>
    <message>
      <source>unknown policy %1 (known: %2)</source>
      <translation>未知规则版本 %1（已知：%2）</translation>
    </message>
    <message>
      <source>unknown view %1 (one of %2)</source>
      <translation>未知视图 %1（可选：%2）</translation>
    </message>
    <message>
      <source>%1 is being written by another process; try again</source>
      <translation>%1 正在被另一个进程写入，请重试</translation>
    </message>
    <message>
      <source>a case is being written by another process; try again</source>
      <translation>有案件正在被另一个进程写入，请重试</translation>
    </message>
    <message>
      <source>idempotency key %1 was used for %2 (already used for %3: a key names one action)</source>
      <translation>幂等键 %1 已用于%2（已用于 %3：一个键只对应一个操作）</translation>
    </message>
    <message>
      <source>idempotency key %1 was used for %2 with other arguments</source>
      <translation>幂等键 %1 已用于参数不同的%2</translation>
    </message>
    <message>
      <source>idempotency key %1 was already used for %2</source>
      <translation>幂等键 %1 已用于 %2</translation>
    </message>
    <message>
      <source>the idempotency key is %1 characters long, above the limit of %2</source>
      <translation>幂等键长 %1 个字符，超过上限 %2</translation>
    </message>
    <message>
      <source>version %1 → %2: %3</source>
      <translation>版本 %1 → %2：%3</translation>
    </message>
    <message>
      <source>this bundle comes from database %1; this is database %2: nothing synced</source>
      <translation>此案件包来自数据库 %1，当前是数据库 %2：未同步任何内容</translation>
    </message>
    <message>
      <source>%1 is not a draft action (one of %2)</source>
      <translation>%1 不能作为草稿（可选：%2）</translation>
    </message>
    <message>
      <source>%1 has no drafts</source>
      <translation>%1 没有草稿</translation>
    </message>
    <message>
      <source>%1 is no longer the last draft of %2</source>
      <translation>%1 已不是 %2 的最后一份草稿</translation>
    </message>
    <message>
      <source>the last draft of %1 was synced already (%2)</source>
      <translation>%1 的最后一份草稿已同步（%2）</translation>
    </message>
    <message>
      <source>%1 is not an offline bundle (%2)</source>
      <translation>%1 不是离线案件包（%2）</translation>
    </message>
    <message>
      <source>%1 is not an offline bundle</source>
      <translation>%1 不是离线案件包</translation>
    </message>
    <message>
      <source>%1 was written by a newer Mediator (revision %2); update this workstation</source>
      <translation>%1 由较新版本的 Mediator 写入（修订版 %2）；请先升级本工作站</translation>
    </message>
    <message>
      <source>%1 was written by an older Mediator (revision %2): upgraded to revision %3; the original is kept as %4</source>
      <translation>%1 由较旧版本的 Mediator 写入（修订版 %2）：已升级到修订版 %3；原文件保留为 %4</translation>
    </message>
    <message>
      <source>%1 was written by an older Mediator (revision %2) and must be upgraded to revision %3 to open here, but it cannot be written: make the file and its folder writable (or copy the file to a writable folder) and open it again; nothing was changed</source>
      <translation>%1 由较旧版本的 Mediator 写入（修订版 %2），须升级到修订版 %3 才能在此打开，但该文件无法写入：请让文件及其所在文件夹可写（或把文件复制到可写的文件夹），然后重新打开；未做任何更改</translation>
    </message>
    <message>
      <source>%1 was written by an older Mediator (revision %2) and cannot be written: it is read from a copy upgraded to revision %3; to draft in it or sync it, make the file writable and open it again</source>
      <translation>%1 由较旧版本的 Mediator 写入（修订版 %2），且无法写入：现从升级到修订版 %3 的副本读取；如需在其中起草或同步，请让该文件可写，然后重新打开</translation>
    </message>
    <message>
      <source>%1 has no single schema revision: it is not a bundle this workstation can open (damaged, or not made by Mediator's export)</source>
      <translation>%1 没有唯一的架构修订版：它不是本工作站能打开的离线包（已损坏，或不是由 Mediator 导出的）</translation>
    </message>
    <message>
      <source>cannot copy %1 to read it (%2); nothing was changed</source>
      <translation>无法复制 %1 以读取（%2）；未做任何更改</translation>
    </message>
    <message>
      <source>cannot keep a copy of %1 as %2 before upgrading it (%3); nothing was changed</source>
      <translation>升级前无法将 %1 备份为 %2（%3）；未做任何更改</translation>
    </message>
    <message>
      <source>%1 could not be upgraded from revision %2 to %3 (%4); nothing was changed</source>
      <translation>%1 无法从修订版 %2 升级到 %3（%4）；未做任何更改</translation>
    </message>
    <message>
      <source>upgrading %1 would change its drafts; nothing was changed</source>
      <translation>升级 %1 会改动其中的草稿；未做任何更改</translation>
    </message>
    <message>
      <source>%1 exists already (give --force to replace it)</source>
      <translation>%1 已存在（加 --force 可替换）</translation>
    </message>
    <message>
      <source>%1 is a folder</source>
      <translation>%1 是一个文件夹</translation>
    </message>
    <message>
      <source>this database has no database_id: run `mediator db upgrade`</source>
      <translation>此数据库没有 database_id：请运行 `mediator db upgrade`</translation>
    </message>
    <message>
      <source>role must be one of %1 (got %2)</source>
      <translation>角色须为 %1 之一（收到 %2）</translation>
    </message>
    <message>
      <source>a user needs a name</source>
      <translation>用户需要名称</translation>
    </message>
    <message>
      <source>a user name is at most %1 characters (this one has %2)</source>
      <translation>用户名最多 %1 个字符（此名称有 %2 个）</translation>
    </message>
    <message>
      <source>user %1 already exists</source>
      <translation>用户 %1 已存在</translation>
    </message>
    <message>
      <source>'%1' is the existing user '%2': to change that user's role, name it as %3</source>
      <translation>“%1”是已有用户“%2”：要更改该用户的角色，请使用名称 %3</translation>
    </message>
    <message>
      <source>'%1' is the existing user '%2': no two users may look alike</source>
      <translation>“%1”是已有用户“%2”：任何两个用户的名称都不能看起来相同</translation>
    </message>
    <message>
      <source>--password-stdin is for PostgreSQL logins (an SQLite workstation has no passwords)</source>
      <translation>--password-stdin 仅用于 PostgreSQL 登录（SQLite 工作站没有密码）</translation>
    </message>
    <message>
      <source>login %1 is an administrator (a superuser or the schema's owner): an administrator is not made a user (no user's login owns a table)</source>
      <translation>登录 %1 是管理员（超级用户或模式所有者）：管理员不能成为用户（用户的登录不拥有任何表）</translation>
    </message>
    <message>
      <source>remedy %1 needs an amount (--amount)</source>
      <translation>处理方式“%1”需要填写金额</translation>
    </message>
    <message>
      <source>%1: remedy must be one of %2 (got %3)</source>
      <translation>%1：处理方式须为 %2 之一（收到 %3）</translation>
    </message>
    <message>
      <source>%1: remedy %2 needs a refund amount</source>
      <translation>%1：处理方式“%2”需要退款金额</translation>
    </message>
    <message>
      <source>%1: refund currency %2 is not the order's currency %3</source>
      <translation>%1：退款币种 %2 与订单币种 %3 不一致</translation>
    </message>
    <message>
      <source>%1: a no_refund proposal carries no refund</source>
      <translation>%1：“不退款”方案不能带退款金额</translation>
    </message>
    <message>
      <source>%1: return_shipping_paid_by is only for return_and_refund</source>
      <translation>%1：只有退货退款才需指定退货运费承担方</translation>
    </message>
    <message>
      <source>%1: return_shipping_paid_by must be buyer, seller or platform</source>
      <translation>%1：return_shipping_paid_by 须为买家、卖家或平台</translation>
    </message>
    <message>
      <source>%1: proposal_id must be a non-empty string of at most %2 characters</source>
      <translation>%1：proposal_id 须为不超过 %2 个字符的非空文本</translation>
    </message>
    <message>
      <source>%1: note must be text of at most %2 characters</source>
      <translation>%1：备注须为不超过 %2 个字符的文本</translation>
    </message>
    <message>
      <source>%1: refund %2 must be greater than zero</source>
      <translation>%1：退款 %2 必须大于零</translation>
    </message>
    <message>
      <source>%1: refund %2 is above the order total %3</source>
      <translation>%1：退款 %2 超过订单总额 %3</translation>
    </message>
    <message>
      <source>%1 must be an object with amount and currency</source>
      <translation>%1 须包含金额和币种</translation>
    </message>
    <message>
      <source>%1 must be an object</source>
      <translation>%1 格式无效</translation>
    </message>
    <message>
      <source>%1: unknown currency %2 (allowed: %3)</source>
      <translation>%1：未知币种 %2（允许：%3）</translation>
    </message>
    <message>
      <source>%1: amount must be a decimal string, not a number (%2)</source>
      <translation>%1：金额须为十进制文本，而不是数字（%2）</translation>
    </message>
    <message>
      <source>%1: amount must be a decimal string</source>
      <translation>%1：金额须为十进制文本</translation>
    </message>
    <message>
      <source>%1: amount %2 is not a plain decimal string like "66.65"</source>
      <translation>%1：金额 %2 不是“66.65”这样的普通小数</translation>
    </message>
    <message>
      <source>%1: amount %2 is not a decimal number</source>
      <translation>%1：金额 %2 不是有效数字</translation>
    </message>
    <message>
      <source>%1: %2 is beyond any order this marketplace takes</source>
      <translation>%1：%2 超出本平台任何订单的金额</translation>
    </message>
    <message>
      <source>%1: %2 has more than the %3 minor digits of %4</source>
      <translation>%1：%2 的小数位超过 %4 的 %3 位</translation>
    </message>
    <message>
      <source>%1: %2</source>
      <translation>%1：%2</translation>
    </message>
    <message>
      <source>claim</source>
      <translation>认领</translation>
    </message>
    <message>
      <source>release</source>
      <translation>释放</translation>
    </message>
    <message>
      <source>propose</source>
      <translation>提出方案</translation>
    </message>
    <message>
      <source>rule</source>
      <translation>裁决</translation>
    </message>
    <message>
      <source>note</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>approve</source>
      <translation>审批</translation>
    </message>
    <message>
      <source>send back</source>
      <translation>退回</translation>
    </message>
    <message>
      <source>assign</source>
      <translation>分配</translation>
    </message>
    <message>
      <source>the approval inbox</source>
      <translation>审批收件箱</translation>
    </message>
    <message>
      <source>the desk's figures</source>
      <translation>工作台统计</translation>
    </message>
    <message>
      <source>the audit trail</source>
      <translation>审计记录</translation>
    </message>
    <message>
      <source>ruling</source>
      <translation>裁决</translation>
    </message>
    <message>
      <source>platform proposal</source>
      <translation>平台方案</translation>
    </message>
    <message>
      <source>decision</source>
      <translation>决定</translation>
    </message>
    <message>
      <source>refund</source>
      <translation>退款</translation>
    </message>
    <message>
      <source>amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <source>pending</source>
      <translation>待同步</translation>
    </message>
    <message>
      <source>applied</source>
      <translation>已应用</translation>
    </message>
    <message>
      <source>conflict</source>
      <translation>冲突</translation>
    </message>
    <message>
      <source>rejected</source>
      <translation>已拒绝</translation>
    </message>
    <message>
      <source>the seller's response time</source>
      <translation>卖家答复时限</translation>
    </message>
    <message>
      <source>the buyer's response time</source>
      <translation>买家答复时限</translation>
    </message>
    <message>
      <source>the parties' response time</source>
      <translation>双方答复时限</translation>
    </message>
    <message>
      <source>the return shipment time</source>
      <translation>退货寄出时限</translation>
    </message>
    <message>
      <source>the seller's receipt confirmation time</source>
      <translation>卖家确认收货时限</translation>
    </message>
    <message>
      <source>the platform's intervention time</source>
      <translation>平台介入时限</translation>
    </message>
    <message>
      <source>the platform's ruling time</source>
      <translation>平台裁决时限</translation>
    </message>
    <message>
      <source>no change recorded</source>
      <translation>没有记录到变化</translation>
    </message>
  </context>
  <context>
    <name>ProposalPane</name>
    <message>
      <source>Buyer</source>
      <translation>买家</translation>
    </message>
    <message>
      <source>Seller</source>
      <translation>卖家</translation>
    </message>
    <message>
      <source>Platform</source>
      <translation>平台</translation>
    </message>
    <message>
      <source>%1 · posted %2</source>
      <translation>%1 · 提交于 %2</translation>
    </message>
    <message>
      <source>return shipping paid by %1</source>
      <translation>退货运费由%1承担</translation>
    </message>
    <message>
      <source>return shipping: not stated</source>
      <translation>退货运费：未说明</translation>
    </message>
    <message>
      <source>note: %1</source>
      <translation>备注：%1</translation>
    </message>
    <message>
      <source>history (%1)</source>
      <translation>历史（%1）</translation>
    </message>
    <message>
      <source>%1 proposal history, %2 earlier proposals</source>
      <translation>%1方案历史，之前 %2 个方案</translation>
    </message>
  </context>
  <context>
    <name>ProposeDialog</name>
    <message>
      <source>Platform proposal for %1</source>
      <translation>%1 的平台方案</translation>
    </message>
    <message>
      <source>e.g. %1</source>
      <translation>例如 %1</translation>
    </message>
    <message>
      <source>&amp;Remedy</source>
      <translation>处理方式(&amp;R)</translation>
    </message>
    <message>
      <source>Refund (%1)</source>
      <translation>退款（%1）</translation>
    </message>
    <message>
      <source>Return shipping paid by</source>
      <translation>退货运费承担方</translation>
    </message>
    <message>
      <source>&amp;Note</source>
      <translation>备注(&amp;N)</translation>
    </message>
    <message>
      <source>Enter the refund amount.</source>
      <translation>请输入退款金额。</translation>
    </message>
    <message>
      <source>The refund must be greater than zero.</source>
      <translation>退款金额必须大于零。</translation>
    </message>
    <message>
      <source>The refund is above the order total %1.</source>
      <translation>退款金额超过订单总额 %1。</translation>
    </message>
    <message>
      <source>Both parties get %1 hours to accept.</source>
      <translation>双方有 %1 小时决定是否接受。</translation>
    </message>
    <message>
      <source>At or above %1: a supervisor must approve before the parties see it.</source>
      <translation>达到或超过 %1：须经主管审批后双方才能看到。</translation>
    </message>
  </context>
  <context>
    <name>QueuePanel</name>
    <message>
      <source>&amp;View:</source>
      <translation>视图(&amp;V)：</translation>
    </message>
    <message>
      <source>Saved view</source>
      <translation>已保存视图</translation>
    </message>
    <message>
      <source>Saved views of the queue, with their number of disputes</source>
      <translation>队列的已保存视图及其争议数量</translation>
    </message>
    <message>
      <source>Filter: dispute, order, buyer, seller id</source>
      <translation>筛选：争议、订单、买家、卖家编号</translation>
    </message>
    <message>
      <source>Filter the queue</source>
      <translation>筛选队列</translation>
    </message>
    <message>
      <source>Shows disputes whose dispute, order, buyer or seller id contains the text; Enter jumps to the table</source>
      <translation>显示争议、订单、买家或卖家编号包含该文字的争议；按回车跳到表格</translation>
    </message>
    <message>
      <source>Dispute queue</source>
      <translation>争议队列</translation>
    </message>
    <message>
      <source>%1 (%2)</source>
      <translation>%1（%2）</translation>
    </message>
    <message>
      <source>No open disputes in “%1” match “%2”.</source>
      <translation>“%1”中没有与“%2”匹配的未结争议。</translation>
    </message>
    <message>
      <source>No open disputes in “%1”.</source>
      <translation>“%1”中没有未结争议。</translation>
    </message>
  </context>
  <context>
    <name>RuleDialog</name>
    <message>
      <source>Rule on %1</source>
      <translation>裁决 %1</translation>
    </message>
    <message>
      <source>Adopt the active proposal of:</source>
      <translation>采纳以下一方的有效方案：</translation>
    </message>
    <message>
      <source>no active proposal</source>
      <translation>无有效方案</translation>
    </message>
    <message>
      <source>%1: %2</source>
      <translation>%1：%2</translation>
    </message>
    <message>
      <source>Note for the record (optional)</source>
      <translation>记录备注（可选）</translation>
    </message>
    <message>
      <source>Rule</source>
      <translation>裁决</translation>
    </message>
    <message>
      <source>Choose whose proposal to adopt.</source>
      <translation>请选择采纳哪一方的方案。</translation>
    </message>
  </context>
  <context>
    <name>SignInDialog</name>
    <message>
      <source>Sign in to Mediator</source>
      <translation>登录 Mediator</translation>
    </message>
    <message>
      <source>Who is working at this workstation?</source>
      <translation>谁在使用此工作站？</translation>
    </message>
    <message>
      <source>%1 (%2)</source>
      <translation>%1（%2）</translation>
    </message>
  </context>
  <context>
    <name>Startup</name>
    <message>
      <source>Preparing the database…</source>
      <translation>正在准备数据库…</translation>
    </message>
    <message>
      <source>Mediator</source>
      <extracomment>the windows built here and not replaced (a replaced window is closed and let go)</extracomment>
      <translation>Mediator</translation>
    </message>
    <message>
      <source>This database has no users yet: add one with `mediator user add NAME --role clerk`.</source>
      <translation>此数据库还没有用户：请用 `mediator user add 姓名 --role clerk` 添加。</translation>
    </message>
    <message>
      <source>Creating demo data: %1 of %2 events</source>
      <translation>正在生成演示数据：%1 / %2 个事件</translation>
    </message>
  </context>
</TS>