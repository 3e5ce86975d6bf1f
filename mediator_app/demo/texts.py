"""What the demo's parties write: complaints, replies, proposal notes and evidence file names, in English and
Chinese."""
from __future__ import annotations

Texts = dict[str, tuple[str, ...]]

BUYER_COMPLAINTS: dict[str, Texts] = {
    "not_received": {
        "en": ("The parcel never arrived.",
               "Tracking has not updated for over two weeks.",
               "The tracking says delivered, but nothing was left at my door and my neighbours have nothing either.",
               "I have waited well past the promised delivery date. Please refund me."),
        "zh": ("包裹一直没有收到，物流信息停在清关。",
               "物流信息两周没有更新了。",
               "显示已签收，但我根本没有收到包裹，邻居那里也没有。",
               "已经超过承诺的送达时间很久了，请退款。"),
    },
    "not_as_described": {
        "en": ("The colour is completely different from the photos in the listing.",
               "The listing said 100% cotton, but the label says polyester.",
               "The size is much smaller than described."),
        "zh": ("颜色和商品图片完全不一样。",
               "描述是纯棉，但标签上写的是涤纶。",
               "尺寸比描述的小很多。"),
    },
    "damaged": {
        "en": ("The screen was cracked when I opened the box.",
               "The box arrived crushed and the item inside is broken.",
               "One of the legs snapped off during delivery."),
        "zh": ("打开包装时屏幕已经碎了。",
               "外箱被压坏了，里面的东西也坏了。",
               "收到时有一个零件已经断了。"),
    },
    "wrong_item": {
        "en": ("I ordered the black one and received a white one.",
               "This is not the model I ordered.",
               "I received a completely different product."),
        "zh": ("我买的是黑色的，收到的是白色的。",
               "收到的型号和我下单的不一致。",
               "收到的是完全不同的商品。"),
    },
    "counterfeit": {
        "en": ("The logo is misprinted; this is clearly not genuine.",
               "The serial number does not exist on the brand's website.",
               "The stitching and packaging look nothing like the original."),
        "zh": ("商标印刷有误，明显是假货。",
               "序列号在品牌官网上查不到。",
               "做工和包装和正品完全不一样。"),
    },
    "missing_parts": {
        "en": ("The charger and cable were missing from the box.",
               "Only 3 of the 4 pieces were in the parcel.",
               "The screws needed for assembly were not included."),
        "zh": ("盒子里没有充电器和数据线。",
               "四件套只收到了三件。",
               "缺少安装用的螺丝。"),
    },
}

PHASE_TEXTS: dict[tuple[str, str], Texts] = {
    ("seller", "negotiation"): {
        "en": ("We shipped on time; tracking shows the parcel is still in transit. Please wait a few more days.",
               "We can offer a partial refund as compensation.",
               "Could you send a photo of the item and of the shipping label?",
               "We checked the item before shipping; it was in perfect condition.",
               "Sorry for the trouble. We will do our best to solve this.",
               "Tracking shows the parcel was delivered and signed for."),
        "zh": ("我们已按时发货，物流显示仍在运输中，请再耐心等几天。",
               "我们可以提供部分退款作为补偿。",
               "请提供商品和包装标签的照片。",
               "发货前我们检查过，商品完好无损。",
               "给您带来不便非常抱歉，我们会尽力解决。",
               "物流显示包裹已经签收。"),
    },
    ("buyer", "review"): {
        "en": ("I have asked the platform to look at this.",
               "Please check the photos I uploaded."),
        "zh": ("我已经申请平台介入。",
               "请查看我上传的照片。"),
    },
    ("seller", "review"): {
        "en": ("We have uploaded the shipping proof for the platform.",
               "The buyer's claim does not match our packing records."),
        "zh": ("我们已经上传了发货凭证，请平台审核。",
               "买家的说法和我们的打包记录不符。"),
    },
    ("buyer", "return"): {
        "en": ("I will send the item back this week.",
               "Which address should I ship the return to?",
               "The return is on its way, tracking number is in the system."),
        "zh": ("退货已经打包好了，明天寄出。",
               "请问退货地址是哪里？",
               "退货已寄出，单号已经填写。"),
    },
    ("seller", "return"): {
        "en": ("Please include the order number inside the return parcel.",
               "Return address: Room 1203, Building 5, Longhua District, Shenzhen, China."),
        "zh": ("请在退货包裹里附上订单号。",
               "退货地址：深圳市龙华区5栋1203室。"),
    },
    ("buyer", "closed"): {
        "en": ("Thank you, the refund has arrived.",
               "OK, thanks for sorting this out."),
        "zh": ("谢谢，已收到退款。",
               "好的，问题解决了，谢谢。"),
    },
    ("seller", "closed"): {
        "en": ("Thank you for your understanding.",
               "Glad we could resolve this. Have a nice day!"),
        "zh": ("感谢您的理解。",
               "很高兴问题得到解决，祝您生活愉快！"),
    },
}

CANCEL_TEXTS: Texts = {
    "en": ("The parcel finally arrived today, sorry for the trouble.",
           "I found the missing part in the packaging, all good now."),
    "zh": ("包裹今天终于到了，抱歉给您添麻烦了。",
           "缺的零件在包装里找到了，没问题了。"),
}

#: Optional proposal notes, by (party, what the proposal asks for).
PROPOSAL_NOTES: dict[tuple[str, str], Texts] = {
    ("buyer", "full"): {"en": ("Full refund please.", "I want my money back."),
                        "zh": ("请全额退款。", "要求全额退款。")},
    ("buyer", "partial"): {"en": ("I would accept a partial refund.", "Refund part of the price and I keep it."),
                           "zh": ("可以接受部分退款。", "部分退款的话我可以留下商品。")},
    ("buyer", "return"): {"en": ("I will send it back for a refund.",),
                          "zh": ("我可以退货退款。",)},
    ("seller", "partial"): {"en": ("Partial refund as a goodwill gesture.", "This is the best we can offer."),
                            "zh": ("作为补偿，部分退款。", "这是我们能给的最大补偿。")},
    ("seller", "full"): {"en": ("We will refund you in full.",),
                         "zh": ("我们全额退款。",)},
    ("seller", "none"): {"en": ("The parcel is still in transit.", "The item was shipped as described."),
                         "zh": ("包裹还在运输途中。", "商品与描述一致。")},
    ("seller", "return"): {"en": ("Please return the item; we pay the return postage.",),
                           "zh": ("请退回商品，退货运费由我们承担。",)},
}

EVIDENCE_NAMES: dict[str, tuple[str, ...]] = {
    "buyer": ("IMG_{n:04d}.png", "photo_item_{n}.png", "box_photo.png", "label_closeup.png",
              "screenshot_tracking.png"),
    "seller": ("shipping_receipt.png", "packing_photo_{n}.png", "warehouse_check.png"),
}
